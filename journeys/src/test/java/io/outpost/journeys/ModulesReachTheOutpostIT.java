package io.outpost.journeys;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.outpost.broker.TwoSites;
import io.outpost.cli.OneMachine;
import io.outpost.data.DataDirectory;
import io.outpost.data.DurableFiles;
import io.outpost.events.OperatorEvents;
import io.outpost.gateway.outpost.OutpostGateway;
import io.outpost.gateway.upstream.Allowlist;
import io.outpost.gateway.upstream.UpstreamGateway;
import io.outpost.gateway.upstream.module.ModuleOrigins;
import io.outpost.iacworker.IacWorker;
import io.outpost.iacworker.ProviderMirrorAccess;
import io.outpost.iacworker.RunOutcome;
import io.outpost.iacworker.RunRecord;
import io.outpost.iacworker.Stack;
import io.outpost.iacworker.StackRunner;
import io.outpost.link.LinkAccounting;
import io.outpost.link.TransferTiming;
import io.outpost.protocol.MessageTypes;
import io.outpost.txrxsim.link.LinkSettings;
import io.outpost.txrxsim.link.SimulatedLink;
import io.outpost.txrxsim.origin.DemoModuleRegistry;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.transport.URIish;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A config calling a registry module (which calls another) and a git module inits at the outpost with
 * every origin gone: upstream found the calls in the commit, sent the modules ahead of it, and terraform
 * installs them from the outpost's module mirror, unchanged.
 */
class ModulesReachTheOutpostIT {
    private static final String REPO = "team-config";

    @RegisterExtension
    final TwoSites sites = new TwoSites();

    @Test
    void registryAndGitModulesInstallFromTheOutpostAlone() throws Exception {
        Path origins = sites.data().resolve("origins");
        DemoModuleRegistry registry = DemoModuleRegistry.start(origins.resolve("modules"));
        HttpServer gitHost = dumbGitHost(origins.resolve("git"));
        String gitModule = "http://127.0.0.1:" + gitHost.getAddress().getPort() + "/team-net.git";
        Path config = commitConfig(origins.resolve(REPO), """
                module "label" {
                  source  = "%s"
                  version = "~> 1.0"
                  name    = "team"
                  release = 7
                }

                module "net" {
                  source = "git::%s?ref=v1.0.0"
                }

                resource "terraform_data" "service" {
                  input = "${module.label.text} in ${module.net.cidr}"
                }

                output "service" {
                  value = terraform_data.service.output
                }
                """.formatted(DemoModuleRegistry.LABEL, gitModule));

        DataDirectory layout = new DataDirectory(sites.data());
        Clock clock = Clock.systemUTC();
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        TransferTiming timing = TransferTiming.forRoundTrip(Duration.ofMillis(200));
        UpstreamGateway.builder(OneMachine.OUTPOST_NAME, layout.upstream()).repos(new Allowlist(Map.of(REPO, new URIish(config.toUri().toURL()))))
                .modules(new ModuleOrigins(List.of(OneMachine.MODULES, "http://127.0.0.1:*/team-*"),
                        Map.of(DemoModuleRegistry.HOSTNAME, registry.url())))
                .timing(timing).meters(meters).clock(clock).build().install(sites.camel());
        OneMachine.exchangeKeys(sites.data(), OneMachine.OUTPOST_NAME);
        LinkAccounting link = new SimulatedLink(OneMachine.OUTPOST_NAME, layout, new LinkSettings(Duration.ofMillis(100), Duration.ZERO, 0), meters, clock).install(sites.camel());
        OutpostGateway.Installed outpost = OutpostGateway.builder(OneMachine.OUTPOST_NAME, layout.outpost()).timing(timing).meters(meters).clock(clock)
                .build().install(sites.camel());
        StackRunner worker = IacWorker.builder(layout.outpost(), new Stack("team", REPO, "refs/heads/main"),
                        new ProviderMirrorAccess(outpost.providerMirror(), outpost.caCertificate()), Journeys.TERRAFORM)
                .outpost(OneMachine.OUTPOST_NAME).firstRunAfter(Duration.ofHours(1)).runEvery(Duration.ofHours(1)).syncWait(Duration.ofSeconds(60))
                .events(OperatorEvents.printingTo(System.out, clock)).build().install(sites.camel()).runner();

        RunRecord first = worker.run(StackRunner.SCHEDULED);
        assertThat(first.outcome()).as(first.error()).isEqualTo(RunOutcome.CONVERGED);
        assertThat(first.outputs().get("service")).isEqualTo("team release 7, delivered by Outpost in 10.77.0.0/16");
        assertThat(link.totals().get("to-outpost").get(MessageTypes.MODULE_PACKAGE).messages()).as("label, the suffix it calls, and net").isEqualTo(3);

        // every origin gone: a fresh checkout inits from the outpost's mirrors alone
        registry.close();
        gitHost.stop(0);
        DurableFiles.deleteTree(layout.outpost().namespace("").checkout("team").resolve(".terraform"));
        RunRecord offline = worker.run("test");
        assertThat(offline.outcome()).as(offline.error()).isEqualTo(RunOutcome.CONVERGED);
        assertThat(offline.outputs().get("service")).isEqualTo(first.outputs().get("service"));
        assertThat(link.totals().get("to-upstream")).doesNotContainKey(MessageTypes.MODULE_GET);
    }

    /** The config repo at the origin, with {@code mainTf} as its one file; returns its directory. */
    private static Path commitConfig(Path dir, String mainTf) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("main.tf"), mainTf);
        try (Git git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            git.commit().setMessage("modules").setSign(false).call();
        }
        return dir;
    }

    /** A git host over plain HTTP (git's dumb protocol, which JGit and C git both speak), serving team-net.git at v1.0.0. */
    private static HttpServer dumbGitHost(Path root) throws Exception {
        Path work = root.resolve("team-net-work");
        Files.createDirectories(work);
        Files.writeString(work.resolve("main.tf"), "output \"cidr\" {\n  value = \"10.77.0.0/16\"\n}\n");
        try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            git.commit().setMessage("net").setSign(false).call();
            git.tag().setName("v1.0.0").setAnnotated(false).call();
        }
        Path bare = root.resolve("team-net.git");
        Git.cloneRepository().setURI(work.toUri().toString()).setDirectory(bare.toFile()).setBare(true).call().close();
        Process info = new ProcessBuilder("git", "update-server-info").directory(bare.toFile()).inheritIO().start();
        assertThat(info.waitFor()).isZero();
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", exchange -> {
            try (exchange) {
                Path file = root.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
                if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                    exchange.sendResponseHeaders(404, -1);
                    return;
                }
                exchange.sendResponseHeaders(200, Files.size(file));
                try (OutputStream out = exchange.getResponseBody()) {
                    Files.copy(file, out);
                }
            }
        });
        http.start();
        return http;
    }
}
