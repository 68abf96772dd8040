package io.outpost.journeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outpost.cli.OneMachine;
import io.outpost.data.DataDirectory;
import io.outpost.iacworker.RunHistory;
import io.outpost.iacworker.RunOutcome;
import io.outpost.iacworker.RunRecord;
import io.outpost.txrxsim.origin.DemoOrigin;
import io.outpost.txrxsim.origin.DemoModuleRegistry;
import io.outpost.txrxsim.origin.DemoProviderRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The single-node deployment: each role its own process, as an operator runs them — both gateways, the link
 * simulator and the worker connecting to the brokers over TCP with their own users, the outpost gateway
 * configured by a settings file and the environment — converge a release, whether the outpost gateway
 * hosts its broker (TLS) or uses an external Artemis broker, which two outpost gateways then share.
 */
class RolesAsProcessesIT {
    @TempDir
    Path data;
    private static final String PASSWORD = "roles-test";

    private final List<Process> roles = new ArrayList<>();
    private DemoProviderRegistry providers;
    private DemoModuleRegistry modules;
    private StandaloneArtemis external;

    @Test
    void theRolesAsSeparateProcessesConvergeAReleaseOverTheTlsBrokersTheGatewaysHost() throws Exception {
        int outpostBroker = LocalPorts.free();
        Path settings = Files.writeString(data.resolve("outpost-gateway.properties"), String.join("\n",
                "name = polar-1", "broker-port = " + outpostBroker, "link-round-trip = 400ms", ""));

        converge(outpostBroker, List.of("--config", settings.toString()), List.of("--outpost-broker", "tcp://127.0.0.1:" + outpostBroker),
                List.of("--broker", "tcp://127.0.0.1:" + outpostBroker));

        assertThat(Files.readString(data.resolve("outpost/broker-users/worker.password"))).as("the worker's own user").isNotBlank();
    }

    @Test
    void theRolesAsSeparateProcessesConvergeAReleaseWithTheOutpostsBrokerExternalAndTwoOutpostGateways() throws Exception {
        int port = LocalPorts.free();
        external = StandaloneArtemis.single(data.resolve("artemis/outpost"), "outpost", port, List.of("gateway", "link", "worker"), PASSWORD);
        external.start();
        external.awaitLog("AMQ221007", Duration.ofSeconds(60));
        String url = "tcp://127.0.0.1:" + port + "?sslEnabled=false";

        List<String> outpostGateway = List.of("--name", "polar-1", "--link-round-trip", "400ms", "--external-broker", url,
                "--external-broker-password", PASSWORD);
        // a second outpost gateway on the same broker and data directory, with ports of its own
        start("outpost-gateway", "outpost-gateway-2", List.of("OUTPOST_DATA=" + data, "OUTPOST_HTTP_PORT=" + LocalPorts.free(),
                "OUTPOST_PROVIDER_MIRROR_PORT=" + LocalPorts.free(), "OUTPOST_GIT_LISTEN=127.0.0.1:" + LocalPorts.free()), outpostGateway.toArray(String[]::new));

        converge(port, outpostGateway, List.of("--outpost-broker", url, "--outpost-broker-password", PASSWORD),
                List.of("--broker", url, "--broker-password", PASSWORD));

        assertThat(new DataDirectory(data).outpost().broker()).as("the outpost gateways hosted no broker").doesNotExist();
        long applied = 0;
        for (String gateway : List.of("outpost-gateway", "outpost-gateway-2")) {
            applied += Files.readAllLines(data.resolve(gateway + ".log")).stream().filter(line -> line.contains("<- GitBundle " + OneMachine.CONFIG_REPO)).count();
        }
        assertThat(applied).as("release 1's bundle applied once, by one of the two").isEqualTo(1);
    }

    /** Runs the four roles, the outpost's broker reached with these arguments, until the worker converges release 1. */
    private void converge(int outpostBroker, List<String> outpostGateway, List<String> link, List<String> worker) throws Exception {
        DemoOrigin origin = new DemoOrigin(data.resolve("origin/demo-config.git"), null, Clock.systemUTC());
        String commit = origin.current().commit();
        providers = DemoProviderRegistry.start(data.resolve("origin/providers"));
        modules = DemoModuleRegistry.start(data.resolve("origin/modules"));
        OneMachine.exchangeKeys(data, "polar-1");
        int upstreamBroker = LocalPorts.free();
        int mirror = LocalPorts.free();

        start("upstream-gateway", List.of("OUTPOST_OUTPOST=polar-1"), "--data", data.toString(), "--broker-port", String.valueOf(upstreamBroker),
                "--http-port", String.valueOf(LocalPorts.free()), "--link-round-trip", "400ms",
                "--repo", OneMachine.CONFIG_REPO + "=" + origin.dir(), "--providers", OneMachine.PROVIDERS,
                "--provider-registry", DemoProviderRegistry.SOURCE.hostname() + "=" + providers.url(),
                "--modules", OneMachine.MODULES, "--module-registry", DemoModuleRegistry.HOSTNAME + "=" + modules.url());
        start("outpost-gateway", List.of("OUTPOST_DATA=" + data, "OUTPOST_HTTP_PORT=" + LocalPorts.free(), "OUTPOST_PROVIDER_MIRROR_PORT=" + mirror,
                        "OUTPOST_GIT_LISTEN=127.0.0.1:" + LocalPorts.free()),
                outpostGateway.toArray(String[]::new));
        LocalPorts.awaitListening(upstreamBroker, Duration.ofSeconds(60));
        LocalPorts.awaitListening(outpostBroker, Duration.ofSeconds(60));
        start("link-sim", List.of(), concat(List.of("--data", data.toString(), "--outpost", "polar-1", "--delay", "200ms", "--http-port", String.valueOf(LocalPorts.free()),
                "--upstream-broker", "tcp://127.0.0.1:" + upstreamBroker), link));
        start("worker", List.of(), concat(List.of("--data", data.toString(), "--outpost", "polar-1", "--provider-mirror", "https://127.0.0.1:" + mirror + "/",
                "--run-every", "3s", "--sync-wait", "20s", "--terraform", Journeys.TERRAFORM.toString(), "--http-port", String.valueOf(LocalPorts.free())), worker));

        RunHistory runs = new RunHistory(data.resolve("outpost/worker/demo/runs.jsonl"));
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> converged(runs));
        RunRecord run = runs.last(1).get(0);
        assertThat(run.outputs()).containsEntry("release", "1");
        assertThat(run.commit()).isEqualTo(commit);
    }

    private static String[] concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all.toArray(String[]::new);
    }

    private static boolean converged(RunHistory runs) {
        List<RunRecord> last = runs.last(1);
        return !last.isEmpty() && last.get(0).outcome() == RunOutcome.CONVERGED;
    }

    private void start(String role, List<String> environment, String... args) throws IOException {
        start(role, role, environment, args);
    }

    /** Starts {@code role} as its own process, its output in {@code DATA/<log>.log}. */
    private void start(String role, String log, List<String> environment, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx192m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "io.outpost.cli.OutpostCli", role));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(data.resolve(log + ".log").toFile()));
        environment.forEach(variable -> builder.environment().put(variable.substring(0, variable.indexOf('=')), variable.substring(variable.indexOf('=') + 1)));
        roles.add(builder.start());
    }

    @AfterEach
    void stop() throws Exception {
        for (Process role : roles) {
            role.destroy();
        }
        for (Process role : roles) {
            if (!role.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                role.destroyForcibly();
            }
        }
        if (providers != null) {
            providers.close();
        }
        if (modules != null) {
            modules.close();
        }
        if (external != null) {
            external.close();
        }
        for (String role : List.of("upstream-gateway", "outpost-gateway", "outpost-gateway-2", "link-sim", "worker")) {
            Path log = data.resolve(role + ".log");
            if (Files.exists(log)) {
                System.out.println("---- " + role + "\n" + Files.readString(log));
            }
        }
    }
}
