package io.outpost.cli;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.outpost.broker.SiteBroker;
import io.outpost.brokerclient.BrokerRole;
import io.outpost.content.Tenants;
import io.outpost.data.DataDirectory;
import io.outpost.events.OperatorEvents;
import io.outpost.gateway.outpost.git.GitReaders;
import io.outpost.protocol.SyncMode;
import io.outpost.registry.RegistryEndpoint;
import io.outpost.registry.RegistryNamespace;
import io.outpost.registry.RegistryProcess;
import io.outpost.txrxsim.origin.DemoImageKey;
import io.outpost.txrxsim.origin.DemoImages;
import io.outpost.txrxsim.origin.DemoOrigin;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The whole loop on one machine: two sites' brokers, the simulated link, both gateways, origin and worker. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the whole Outpost loop in one JVM.",
                "A demo origin publishes releases of a Terraform config, they cross a simulated link, and the outpost's",
                "worker applies them with the real terraform CLI. Stop with Ctrl-C or --for; starting again on the same",
                "--data resumes where it was."})
final class DemoCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    LinkOptions link;

    @Option(names = "--release-every", defaultValue = "60s", converter = Converters.DurationConverter.class,
            description = "How often the demo origin publishes a release (default: ${DEFAULT-VALUE}).")
    Duration releaseEvery;



    @Option(names = "--for", converter = Converters.DurationConverter.class,
            description = "Stop after this long and print a summary (default: run until Ctrl-C).")
    Duration runFor;

    @Mixin
    RunOptions run;

    @Option(names = "--registry-binary", defaultValue = "/usr/bin/docker-registry",
            description = "The CNCF Distribution registry binary run for the outpost and the origin (default: ${DEFAULT-VALUE}).")
    Path registryBinary;

    @Mixin
    MetricsOption http;

    @Option(names = "--mode", defaultValue = "push", converter = Converters.SyncModeConverter.class,
            description = "push: the outpost subscribes and upstream sends each release unasked; pull: every worker run asks (default: ${DEFAULT-VALUE}).")
    SyncMode mode;

    @Option(names = "--broker-port", defaultValue = "0",
            description = "TCP port (TLS) of the outpost broker, for 'outpost subscribe', 'import' or an extra worker; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int brokerPort;

    @Option(names = "--tenant", description = {"Run the demo's worker as this tenant of the outpost: its own namespace of repos, images, request queue",
            "and ready topic, to which alone the upstream grants the demo's repo and images (default: none, the outpost's own namespace)."})
    String tenant;

    @Option(names = "--no-images", description = "Run the demo without registries and images (git and terraform only).")
    boolean noImages;

    @Option(names = "--container-engine", defaultValue = "auto", description = {"What runs each release's image at the outpost: podman, docker,",
            "auto (the first of them on PATH) or none (record the digest only) (default: ${DEFAULT-VALUE})."})
    String containerEngine;

    @Override
    public Integer call() throws Exception {
        Clock clock = Clock.systemDefaultZone();
        Path data = common.data.toAbsolutePath().normalize();
        Path terraformBinary = run.terraform();
        Files.createDirectories(data);
        OperatorEvents events = OperatorEvents.printingTo(System.out, clock);
        // the port first: when it is taken, nothing else has started yet
        MetricsEndpoint endpoint = http.start(0);
        RegistryProcess outpostRegistry = noImages ? null : RegistryProcess.start(registryBinary, new DataDirectory(data).outpost().registry(), 0);
        RegistryProcess originRegistry = noImages ? null : RegistryProcess.start(registryBinary, new DataDirectory(data).originRegistry(), 0);
        DemoContainer container = noImages ? null : DemoContainer.of(containerEngine, freePort()).orElse(null);
        OneMachine.DemoSettings settings = new OneMachine.DemoSettings(link.settings(), releaseEvery, Duration.ofMillis(500), run.runEvery,
                run.syncWait(), terraformBinary, noImages ? null : new OneMachine.Registries(
                        RegistryEndpoint.of(outpostRegistry.url().toString()), RegistryEndpoint.of(originRegistry.url().toString())), mode)
                .withTenants(tenant == null ? List.of() : List.of(Tenants.requireTenant(tenant))).runningWith(container);
        System.out.println("Outpost demo: data in " + data + "; dashboard " + endpoint.base());
        System.out.println("  link: " + settings.link().describe() + "; mode " + mode.name().toLowerCase(java.util.Locale.ROOT)
                + (mode == SyncMode.PUSH ? " (upstream sends each release unasked)" : " (every worker run asks)"));
        System.out.println("  origin releases every " + releaseEvery.toSeconds() + "s; worker runs every " + run.runEvery.toSeconds()
                + "s with " + terraformBinary + (runFor == null ? "; Ctrl-C to stop" : "; stopping after " + runFor.toSeconds() + "s"));
        System.out.println(noImages ? "  images: off (--no-images)" : "  images: origin registry " + originRegistry.address()
                + ", outpost registry " + outpostRegistry.address() + "; each release pins a new image by digest, signed by the demo"
                + " origin (" + new DataDirectory(data).originImages().resolve(DemoImageKey.PUBLIC_FILE) + "; both gateways require the signature),"
                + (container == null ? " which the demo records in terraform state (it runs no container: " + ("none".equals(containerEngine) ? "--container-engine none"
                        : "no podman or docker on PATH") + ")"
                : " which the worker's terraform runs with " + container.engine() + " as container " + DemoOrigin.CONTAINER + ", serving " + container.page()));

        SiteBroker outpost = SiteBroker.start("outpost", new DataDirectory(data).outpost(), brokerPort > 0 ? brokerPort : freePort(), settings.tenants());
        SiteBroker upstream = SiteBroker.start("upstream", new DataDirectory(data).upstream(), 0);
        System.out.println("  outpost broker: " + outpost.tcpUrl() + " (TLS; users and passwords in " + new DataDirectory(data).outpost().brokerUsers()
                + "); the link is signed with each site's key (" + new DataDirectory(data).outpost().keys() + " and " + new DataDirectory(data).upstream().keys() + ")");
        PrometheusMeterRegistry metrics = http.registry;
        outpost.measureQueues(metrics);
        upstream.measureQueues(metrics);
        AtomicReference<OneMachine.Running> running = new AtomicReference<>();
        new Dashboard(data, metrics, () -> Optional.ofNullable(running.get()).map(loop -> loop.origin().current())).serveOn(endpoint);
        Instant started = clock.instant();
        AtomicInteger exitCode = new AtomicInteger(1);
        new CamelProcess("outpost-demo", Map.of("outpost", outpost.access(BrokerRole.GATEWAY), "upstream", upstream.access(BrokerRole.GATEWAY)), runFor).run(
                camel -> {
                    running.set(new OneMachine(data, settings, metrics, events, clock).install(camel));
                    String tenantOfWorker = settings.workerTenant();
                    Path password = new DataDirectory(data).outpost().gitPassword(GitReaders.userOf(tenantOfWorker));
                    URI clone = running.get().outpost().gitUrl(tenantOfWorker, OneMachine.CONFIG_REPO);
                    if (running.get().outpost().registryFront() != null) {
                        String front = running.get().outpost().registryFront();
                        String image = front + "/" + RegistryNamespace.of(tenantOfWorker, List.of()).resolve(DemoImages.REPOSITORY) + ":" + DemoImages.LATEST;
                        System.out.println("  registry: " + front + " (the registry front: HTTPS, read-only); once the first release has arrived:");
                        System.out.println("    SSL_CERT_FILE=" + running.get().outpost().caCertificate() + " podman pull "
                                + (Tenants.OUTPOST.equals(tenantOfWorker) ? "" : "--creds " + GitReaders.userOf(tenantOfWorker) + ":$(cat " + password + ") ") + image);
                    }
                    System.out.println("  git server: " + running.get().outpost().gitServer() + " (read-only); once the first release has arrived:");
                    System.out.println("    GIT_SSL_CAINFO=" + running.get().outpost().caCertificate() + " git clone https://"
                            + GitReaders.userOf(tenantOfWorker) + ":$(cat " + password + ")@" + clone.getAuthority() + clone.getPath());
                },
                () -> {
                    try {
                        if (running.get() != null) {
                            DemoSummary summary = DemoSummary.of(running.get(), started, clock.instant(),
                                    noImages ? null : settings.registries(), settings.workerTenant(), container);
                            summary.print(System.out);
                            exitCode.set(summary.convergedRuns() > 0 ? 0 : 1);
                        }
                    } finally {
                        if (container != null) {
                            container.remove();
                        }
                        endpoint.close();
                        try {
                            outpost.close();
                            upstream.close();
                        } finally {
                            if (outpostRegistry != null) {
                                outpostRegistry.close();
                                originRegistry.close();
                            }
                        }
                    }
                });
        return exitCode.get();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
