package io.outpost.journeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outpost.broker.SiteBroker;
import io.outpost.brokerclient.BrokerRole;
import io.outpost.brokerclient.SiteJms;
import io.outpost.cli.OneMachine;
import io.outpost.cli.UpstreamJoinLine;
import io.outpost.cli.bench.NetworkPath;
import io.outpost.data.DataDirectory;
import io.outpost.data.SiteData;
import io.outpost.gateway.upstream.Allowlist;
import io.outpost.gateway.upstream.UpstreamGateway;
import io.outpost.gateway.upstream.provider.ProviderOrigins;
import io.outpost.iacworker.RunHistory;
import io.outpost.iacworker.RunOutcome;
import io.outpost.iacworker.RunRecord;
import io.outpost.link.TransferTiming;
import io.outpost.link.network.LinkConnection;
import io.outpost.link.network.UpstreamTrust;
import io.outpost.txrxsim.origin.DemoOrigin;
import io.outpost.txrxsim.origin.DemoModuleRegistry;
import io.outpost.txrxsim.origin.DemoProviderRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.eclipse.jgit.transport.URIish;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two sites over a real kernel network path (a network namespace for the outpost, 300 ms each way, 2 Mbit/s
 * each way): the upstream's broker listens on its address; the outpost joins it with the line the upstream
 * prints and its gateway dials out; a release converges. The next release's bundle (a few MiB) is mid-transfer
 * when the path goes down for 20 s, the one after when the upstream's broker restarts; both still converge, and
 * each bundle is applied once.
 */
class RealNetworkLinkIT {
    private static final String OUTPOST = "polar-1";

    @RegisterExtension
    final RealNetworkPath path = new RealNetworkPath(300, 2_000_000, 0);
    @TempDir
    Path data;

    private final List<Process> roles = new ArrayList<>();
    private SiteBroker upstream;
    private CamelContext camel;
    private DemoProviderRegistry providers;
    private DemoModuleRegistry modules;

    @Test
    void updatesConvergeOverARealPathThroughAnOutageAndABrokerRestartMidTransfer() throws Exception {
        DataDirectory layout = new DataDirectory(data);
        DemoOrigin origin = new DemoOrigin(layout.originGit().resolve(OneMachine.CONFIG_REPO + ".git"), null, Clock.systemUTC());
        origin.current();
        providers = DemoProviderRegistry.start(layout.originProviders());
        modules = DemoModuleRegistry.start(layout.originModules());
        OneMachine.exchangeKeys(data, OUTPOST);
        int upstreamPort = LocalPorts.free();
        upstream = SiteBroker.start(UpstreamGateway.SITE, layout.upstream(), NetworkPath.UPSTREAM_ADDRESS, upstreamPort, List.of());
        camel = new DefaultCamelContext();
        camel.addComponent("upstream", SiteJms.component(upstream.access(BrokerRole.GATEWAY)));
        UpstreamGateway.builder(OUTPOST, layout.upstream()).repos(new Allowlist(Map.of(OneMachine.CONFIG_REPO, new URIish(origin.dir().toUri().toURL()))))
                .providers(new ProviderOrigins(List.of(OneMachine.PROVIDERS), Map.of(DemoProviderRegistry.SOURCE.hostname(), providers.url())))
                .modules(OneMachine.demoModules(modules))
                .timing(TransferTiming.forRoundTrip(Duration.ofMillis(600))).pollEvery(Duration.ofHours(1)).build().install(camel);
        camel.start();

        String join = UpstreamJoinLine.of(layout.upstream(), NetworkPath.UPSTREAM_ADDRESS + ":" + upstreamPort).toString();
        assertThat(atTheOutpost("keys-join", "keys", "join", "--data", data.toString(), "--name", OUTPOST, join).waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(new UpstreamTrust(layout.outpost().upstreamLink()).address()).as("joined").contains(NetworkPath.UPSTREAM_ADDRESS + ":" + upstreamPort);
        atTheOutpost("outpost-gateway", "outpost-gateway", "--data", data.toString(), "--name", OUTPOST, "--broker-port", "61616", "--http-port", "8080",
                "--provider-mirror-port", "5758", "--link-round-trip", "600ms", "--link-bandwidth", "2Mbit");
        await().atMost(Duration.ofSeconds(60)).until(() -> log("outpost-gateway").contains("link: dialing the upstream"));
        atTheOutpost("worker", "worker", "--data", data.toString(), "--outpost", OUTPOST, "--broker", "tcp://127.0.0.1:61616",
                "--provider-mirror", "https://127.0.0.1:5758/", "--run-every", "3s", "--sync-wait", "90s", "--terraform", Journeys.TERRAFORM.toString(),
                "--http-port", "8083");
        RunHistory runs = new RunHistory(layout.outpost().namespace("").runs(OneMachine.STACK));
        await().atMost(Duration.ofSeconds(150)).pollInterval(Duration.ofMillis(500)).until(() -> converged(runs, 1));

        origin.publishNext(Map.of("payload.txt", randomText(2, 3 * 1024 * 1024)));
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> transferUnderway(layout.outpost()));
        path.cut();
        Thread.sleep(20_000); // the outage itself: what the journey is about
        path.restore();
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).until(() -> converged(runs, 2));

        // the upstream's broker restarts while the next bundle crosses: the link reconnects, the transfer resumes
        origin.publishNext(Map.of("payload.txt", randomText(3, 3 * 1024 * 1024)));
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> transferUnderway(layout.outpost()));
        upstream.restart();
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(500)).until(() -> converged(runs, 3));

        assertThat(log("outpost-gateway").lines().filter(line -> line.contains("<- GitBundle " + OneMachine.CONFIG_REPO) && line.contains("main@")))
                .as("each release's bundle applied once").hasSize(3);
        // what status and the dashboard show of the real link: back after the restart, the path's round trip measured over it
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            LinkConnection.State link = LinkConnection.read(layout.linkConnection()).orElseThrow();
            assertThat(link.connected()).isTrue();
            assertThat(link.reconnects()).as("the broker restart").isPositive();
            assertThat(link.measuredRoundTrip()).as("at least the path's 600 ms").hasValueSatisfying(rtt -> assertThat(rtt).isBetween(
                    Duration.ofMillis(600), Duration.ofSeconds(5)));
        });
    }

    private static boolean converged(RunHistory runs, int release) {
        List<RunRecord> last = runs.last(1);
        return !last.isEmpty() && last.get(0).outcome() == RunOutcome.CONVERGED && String.valueOf(release).equals(last.get(0).outputs().get("release"));
    }

    /** A transfer to the outpost has begun and is not finished: some of its chunks are held. */
    private static boolean transferUnderway(SiteData outpost) throws IOException {
        if (!Files.isDirectory(outpost.transfersIn())) {
            return false;
        }
        try (Stream<Path> transfers = Files.list(outpost.transfersIn())) {
            return transfers.anyMatch(transfer -> Files.exists(transfer.resolve("body.part")) && size(transfer.resolve("body.part")) > 0);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException gone) {
            return 0;
        }
    }

    /** Text that git cannot compress much, different for each release so that no delta makes it small. */
    private static String randomText(int release, int bytes) {
        byte[] random = new byte[bytes * 3 / 4];
        new Random(release).nextBytes(random);
        return Base64.getMimeEncoder().encodeToString(random);
    }


    private String log(String role) throws IOException {
        Path log = data.resolve(role + ".log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** Runs an outpost role as its own process inside the outpost's network namespace, its output in {@code DATA/<log>.log}. */
    private Process atTheOutpost(String log, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx192m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "io.outpost.cli.OutpostCli"));
        command.addAll(List.of(args));
        Process role = new ProcessBuilder(path.atTheOutpost(command)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolve(log + ".log").toFile())).start();
        roles.add(role);
        return role;
    }

    @AfterEach
    void stop() throws Exception {
        for (Process role : roles) {
            role.destroy();
        }
        for (Process role : roles) {
            if (!role.waitFor(20, TimeUnit.SECONDS)) {
                role.destroyForcibly();
            }
        }
        if (camel != null) {
            camel.stop();
        }
        if (upstream != null) {
            upstream.close();
        }
        if (providers != null) {
            providers.close();
        }
        if (modules != null) {
            modules.close();
        }
        for (String role : List.of("keys-join", "outpost-gateway", "worker")) {
            System.out.println("---- " + role + "\n" + log(role));
        }
    }
}
