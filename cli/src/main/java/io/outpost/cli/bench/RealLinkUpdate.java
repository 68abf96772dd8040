package io.outpost.cli.bench;

import io.outpost.broker.SiteBroker;
import io.outpost.brokerclient.BrokerRole;
import io.outpost.brokerclient.SiteJms;
import io.outpost.cli.OneMachine;
import io.outpost.content.BillOfMaterials;
import io.outpost.content.Tenants;
import io.outpost.data.DataDirectory;
import io.outpost.gateway.outpost.image.BlobInventory;
import io.outpost.gateway.upstream.Allowlist;
import io.outpost.gateway.upstream.UpstreamGateway;
import io.outpost.gateway.upstream.image.ImageOrigins;
import io.outpost.gateway.upstream.provider.ProviderOrigins;
import io.outpost.link.TransferTiming;
import io.outpost.registry.Manifest;
import io.outpost.registry.RegistryClient;
import io.outpost.registry.RegistryEndpoint;
import io.outpost.registry.RegistryProcess;
import io.outpost.txrxsim.origin.DemoOrigin;
import io.outpost.txrxsim.origin.DemoModuleRegistry;
import io.outpost.txrxsim.origin.DemoProviderRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.eclipse.jgit.transport.URIish;

/**
 * The geo update of {@link ConvergenceScenario} (one changed layer of a 4-layer image, and the commit that
 * names it) over the real link, pushed: the upstream site in this process (its broker listening on the path,
 * the origin's git, registry and provider registry), the outpost gateway and the outpost's registry as
 * processes in the outpost's network namespace, subscribed, warmed by one small update. Measured from the moment the origin published to
 * the moment the outpost's local remote holds the commit (its ref moves only once the image is in the
 * outpost's registry), against L + N/B.
 */
record RealLinkUpdate(ConvergenceScenario update, int oneWayMillis, long bytesPerSecond) {

    record Result(String name, int oneWayMillis, long bitsPerSecond, long newBytes, double seconds, double limitSeconds, double ratio) {
    }

    Result run(Path dir, Path registryBinary) throws Exception {
        DataDirectory data = new DataDirectory(dir);
        DemoOrigin origin = new DemoOrigin(data.originGit().resolve(OneMachine.CONFIG_REPO + ".git"), null, Clock.systemUTC());
        origin.current();
        Path scratch = Files.createDirectories(dir.resolve("scratch"));
        Manifest previous;
        Manifest next;
        int outpostRegistryPort;
        try (RegistryProcess originRegistry = RegistryProcess.start(registryBinary, data.originRegistry(), 0);
             DemoProviderRegistry providers = DemoProviderRegistry.start(data.originProviders());
             DemoModuleRegistry modules = DemoModuleRegistry.start(data.originModules())) {
            RegistryClient originClient = new RegistryClient(RegistryEndpoint.of(originRegistry.url().toString()));
            previous = SyntheticImage.push(originClient, ConvergenceScenario.REPOSITORY, "v1", update.seeds(0), update.layerSize(), scratch);
            next = SyntheticImage.push(originClient, ConvergenceScenario.REPOSITORY, "v2", update.seeds(1), update.layerSize(), scratch);
            // the outpost holds release 1 and image v1; its registry is filled here, then serves from the outpost's namespace
            try (RegistryProcess outpostRegistry = RegistryProcess.start(registryBinary, data.outpost().registry(), 0)) {
                SyntheticImage.copy(originClient, new RegistryClient(RegistryEndpoint.of(outpostRegistry.url().toString())),
                        new BlobInventory(data.outpost().namespace(Tenants.OUTPOST).registryInventory()), ConvergenceScenario.REPOSITORY, "v1", scratch);
                outpostRegistryPort = outpostRegistry.url().getPort();
            }
            ConvergenceScenario.holdReleaseOneAtTheOutpost(dir);
            try (NetworkPath path = NetworkPath.open(oneWayMillis, bytesPerSecond * 8, 0)) {
                SiteBroker upstream = RealLinkScenario.joinedUpstream(dir);
                CamelContext camel = new DefaultCamelContext();
                List<Process> atTheOutpost = new ArrayList<>();
                try {
                    camel.addComponent("upstream", SiteJms.component(upstream.access(BrokerRole.GATEWAY)));
                    UpstreamGateway.builder("bench", data.upstream())
                            .repos(new Allowlist(Map.of(OneMachine.CONFIG_REPO, new URIish(origin.dir().toUri().toURL()))))
                            .images(new ImageOrigins(Map.of(OneMachine.IMAGES, RegistryEndpoint.of(originRegistry.url().toString()))))
                            .providers(new ProviderOrigins(List.of(OneMachine.PROVIDERS), Map.of(DemoProviderRegistry.SOURCE.hostname(), providers.url())))
                            .modules(OneMachine.demoModules(modules))
                            .timing(TransferTiming.forRoundTrip(Duration.ofMillis(2L * oneWayMillis))).pollEvery(OneMachine.PUSH_POLL).build().install(camel);
                    camel.start();
                    atTheOutpost.add(startRegistryAtTheOutpost(path, registryBinary, data.outpost().registry(), outpostRegistryPort));
                    atTheOutpost.add(RealLinkScenario.startOutpostGateway(path, dir, List.of("--registry", "http://127.0.0.1:" + outpostRegistryPort,
                            "--subscribe", OneMachine.CONFIG_REPO, "--link-round-trip", (2 * oneWayMillis) + "ms", "--link-bandwidth", bytesPerSecond + "B")));
                    ConvergenceScenario.awaitSubscription(dir, "bench");
                    // one unreported update first (a small image), so the row measures the link rather than a cold outpost JVM
                    SyntheticImage.push(originClient, ConvergenceScenario.REPOSITORY, "warm-up", List.of(9_001L), 64 * 1024, scratch);
                    ConvergenceScenario.awaitLocalHead(dir, origin.publishNext(Map.of(BillOfMaterials.FILE,
                            "images:\n  - " + ConvergenceScenario.REPOSITORY + ":warm-up\n")).commit(), Duration.ofMinutes(5));

                    String commit = origin.publishNext(Map.of(BillOfMaterials.FILE, "images:\n  - " + ConvergenceScenario.REPOSITORY + ":v2\n")).commit();
                    long start = System.nanoTime();
                    ConvergenceScenario.awaitLocalHead(dir, commit, Duration.ofMinutes(5));
                    double seconds = (System.nanoTime() - start) / 1e9;
                    long newBytes = SyntheticImage.newBytes(next, previous);
                    double limit = oneWayMillis / 1000.0 + (double) newBytes / bytesPerSecond;
                    return new Result(update.name() + ", pushed", oneWayMillis, bytesPerSecond * 8, newBytes, seconds, limit, seconds / limit);
                } finally {
                    camel.stop();
                    for (Process process : atTheOutpost) {
                        process.destroy();
                        if (!process.waitFor(20, TimeUnit.SECONDS)) {
                            process.destroyForcibly();
                        }
                    }
                    upstream.close();
                }
            }
        }
    }

    /** The outpost's registry, on the storage and port it had, in the outpost's namespace; waits until it answers there. */
    private static Process startRegistryAtTheOutpost(NetworkPath path, Path binary, Path registryDir, int port) throws Exception {
        Process registry = new ProcessBuilder(path.atTheOutpost(List.of(binary.toString(), "serve", registryDir.resolve("config.yml").toString())))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(registryDir.resolve("registry.log").toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        List<String> probe = path.atTheOutpost(List.of("python3", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:" + port + "/v2/')"));
        while (new ProcessBuilder(probe).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() != 0) {
            if (System.nanoTime() > deadline || !registry.isAlive()) {
                registry.destroy();
                throw new IllegalStateException("the outpost's registry did not answer in its namespace; see " + registryDir.resolve("registry.log"));
            }
            Thread.sleep(200);
        }
        return registry;
    }
}
