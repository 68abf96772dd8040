package io.outpost.cli.bench;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.outpost.broker.SiteBroker;
import io.outpost.brokerclient.BrokerRole;
import io.outpost.brokerclient.CloseOnStop;
import io.outpost.brokerclient.SiteJms;
import io.outpost.cli.OneMachine;
import io.outpost.content.BillOfMaterials;
import io.outpost.content.Tenants;
import io.outpost.data.DataDirectory;
import io.outpost.data.SiteData;
import io.outpost.gateway.outpost.OutpostGateway;
import io.outpost.gateway.upstream.Allowlist;
import io.outpost.gateway.upstream.UpstreamGateway;
import io.outpost.gateway.upstream.fleet.Fleet;
import io.outpost.gateway.upstream.fleet.FleetMember;
import io.outpost.gateway.upstream.image.ImageOrigins;
import io.outpost.gateway.upstream.provider.ProviderOrigins;
import io.outpost.link.TransferTiming;
import io.outpost.link.trust.SiteKeys;
import io.outpost.link.trust.TrustedKeys;
import io.outpost.registry.RegistryClient;
import io.outpost.registry.RegistryEndpoint;
import io.outpost.registry.RegistryProcess;
import io.outpost.txrxsim.link.LinkSettings;
import io.outpost.txrxsim.link.SimulatedLink;
import io.outpost.txrxsim.origin.DemoModuleRegistry;
import io.outpost.txrxsim.origin.DemoOrigin;
import io.outpost.txrxsim.origin.DemoProviderRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.URIish;

/**
 * Issue 17's fleet: one upstream gateway serving {@code outposts} subscribed outposts, each on a simulated link of its own,
 * and one release that pins an image with one new layer. To fit 2 cores the outposts share this JVM and one outpost broker
 * (each in a namespace of its own addresses, {@link AddressNamespace}); each has its own gateway, link, keys, data and
 * local registry. Measured from the release to each outpost holding it: the origin's bytes (downloads into the
 * upstream's origin cache), the CPU of the upstream gateway's threads, the heap the JVM retains per outpost, the time until
 * the first and the last outpost hold the release.
 */
final class FleetScenario {
    static final String UPSTREAM_CAMEL = "fleet-upstream";
    private static final String REPOSITORY = "demo/app";

    /** One row. */
    record Result(int outposts, long originBytes, long originGitFetches, double upstreamCpuSeconds, double cpuPerUpdate, double heapPerOutpostMiB,
                  double firstSeconds, double lastSeconds) {
    }

    private FleetScenario() {
    }

    static Result run(int outposts, Duration delay, long bytesPerSecond, long layerSize, Path dir, Path registryBinary) throws Exception {
        DataDirectory data = new DataDirectory(dir);
        List<AutoCloseable> started = new ArrayList<>();
        try {
            RegistryProcess originRegistry = RegistryProcess.start(registryBinary, dir.resolve("origin-registry"), 0);
            started.add(originRegistry);
            RegistryClient origin = new RegistryClient(RegistryEndpoint.of(originRegistry.url().toString()));
            Path scratch = Files.createDirectories(dir.resolve("scratch"));
            SyntheticImage.push(origin, REPOSITORY, "v1", List.of(1L), 64 * 1024, scratch);
            SyntheticImage.push(origin, REPOSITORY, "v2", List.of(2L), layerSize, scratch);
            DemoOrigin config = new DemoOrigin(data.originGit().resolve(OneMachine.CONFIG_REPO + ".git"), null, Clock.systemUTC());
            config.current();
            DemoProviderRegistry providers = DemoProviderRegistry.start(data.originProviders());
            started.add(providers);
            DemoModuleRegistry modules = DemoModuleRegistry.start(data.originModules());
            started.add(modules);
            SiteBroker upstreamBroker = SiteBroker.start(UpstreamGateway.SITE, data.upstream(), 0, List.of());
            started.add(upstreamBroker);
            SiteBroker outpostBroker = SiteBroker.start("outpost", new SiteData(dir.resolve("outposts-broker")), 0, List.of());
            started.add(outpostBroker);

            SiteKeys upstreamKeys = SiteKeys.loadOrCreate(data.upstream().keys(), UpstreamGateway.SITE);
            List<String> names = new ArrayList<>();
            for (int i = 1; i <= outposts; i++) {
                String name = "ship-" + i;
                names.add(name);
                SiteKeys keys = SiteKeys.loadOrCreate(outpostData(dir, name).keys(), name);
                TrustedKeys.of(keys).trust(upstreamKeys.publicKey());
                new Fleet(data.upstream()).add(keys.publicKey(), FleetMember.EVERYTHING, Map.of());
            }
            TransferTiming timing = TransferTiming.forRoundTrip(delay.multipliedBy(2));
            MeterRegistry upstreamMeters = new SimpleMeterRegistry();
            DefaultCamelContext upstream = new DefaultCamelContext();
            upstream.getExecutorServiceManager().setThreadNamePattern(UPSTREAM_CAMEL + " thread ##counter# - #name#");
            upstream.addComponent("upstream", SiteJms.component(upstreamBroker.access(BrokerRole.GATEWAY)));
            UpstreamGateway.builder(null, data.upstream())
                    .repos(new Allowlist(Map.of(OneMachine.CONFIG_REPO, new URIish(config.dir().toUri().toURL()))))
                    .images(new ImageOrigins(Map.of(OneMachine.IMAGES, origin.endpoint())))
                    .providers(new ProviderOrigins(List.of(OneMachine.PROVIDERS), Map.of(DemoProviderRegistry.SOURCE.hostname(), providers.url())))
                    .modules(OneMachine.demoModules(modules))
                    .timing(timing).pollEvery(OneMachine.PUSH_POLL).meters(upstreamMeters).build().install(upstream);
            upstream.start();
            started.add(upstream::stop);
            long heapBefore = heapAfterGc();
            for (String name : names) {
                // a registry each, as each outpost has: CNCF Distribution answers 500 to one of two puts of one manifest at once
                RegistryProcess outpostRegistry = RegistryProcess.start(registryBinary, outpostData(dir, name).registry(), 0);
                started.add(outpostRegistry);
                started.add(startOutpost(name, dir, outpostBroker, upstreamBroker, outpostRegistry, delay, bytesPerSecond, timing)::stop);
            }
            // release 1 names a small image: every outpost holds it, so the row measures an update, not a cold start
            String warm = config.publishNext(Map.of(BillOfMaterials.FILE, "images:\n  - " + REPOSITORY + ":v1\n")).commit();
            awaitAll(dir, names, warm, Duration.ofMinutes(10));
            double heapPerOutpost = (heapAfterGc() - heapBefore) / (double) outposts / (1 << 20);

            double cpuBefore = upstreamCpuSeconds();
            double originBytesBefore = counted(upstreamMeters, "outpost.origin.fetched.bytes");
            double gitFetchesBefore = counted(upstreamMeters, "outpost.origin.fetches", "kind", "git");
            long start = System.nanoTime();
            String release = config.publishNext(Map.of(BillOfMaterials.FILE, "images:\n  - " + REPOSITORY + ":v2\n")).commit();
            double[] arrived = awaitAll(dir, names, release, Duration.ofMinutes(10)).stream().mapToDouble(nanos -> (nanos - start) / 1e9).toArray();
            double cpu = upstreamCpuSeconds() - cpuBefore;
            return new Result(outposts, (long) (counted(upstreamMeters, "outpost.origin.fetched.bytes") - originBytesBefore),
                    (long) (counted(upstreamMeters, "outpost.origin.fetches", "kind", "git") - gitFetchesBefore), cpu,
                    cpu / outposts, heapPerOutpost, Arrays.stream(arrived).min().orElse(0), Arrays.stream(arrived).max().orElse(0));
        } finally {
            for (int i = started.size() - 1; i >= 0; i--) {
                try {
                    started.get(i).close();
                } catch (Exception e) {
                    System.err.println("fleet bench: cannot stop " + started.get(i) + ": " + e.getMessage());
                }
            }
        }
    }

    private static SiteData outpostData(Path dir, String name) {
        return new DataDirectory(dir.resolve("outposts").resolve(name)).outpost();
    }

    /** One outpost: its gateway and its simulated link, in a Camel context of its own on its namespace of the shared broker. */
    private static CamelContext startOutpost(String name, Path dir, SiteBroker outpostBroker, SiteBroker upstreamBroker, RegistryProcess registry,
                                             Duration delay, long bytesPerSecond, TransferTiming timing) throws Exception {
        CamelContext camel = new DefaultCamelContext();
        JmsComponent own = SiteJms.component(outpostBroker.access(BrokerRole.GATEWAY));
        own.getConfiguration().setDestinationResolver(new AddressNamespace(name + "."));
        JmsComponent upstream = SiteJms.component(upstreamBroker.access(BrokerRole.LINK));
        camel.addComponent("outpost", own);
        camel.addComponent("upstream", upstream);
        camel.addService(new CloseOnStop(() -> SiteJms.closeConnections(own, upstream)), true, true);
        new SimulatedLink(name, new DataDirectory(dir.resolve("outposts").resolve(name)), new LinkSettings(delay, Duration.ZERO, bytesPerSecond),
                new SimpleMeterRegistry(), Clock.systemUTC()).install(camel);
        OutpostGateway.builder(name, outpostData(dir, name)).localRegistry(RegistryEndpoint.of(registry.url().toString())).timing(timing)
                .subscriptions(List.of(OutpostGateway.subscription(Tenants.OUTPOST, OneMachine.CONFIG_REPO))).build().install(camel);
        camel.start();
        return camel;
    }

    /** When (System.nanoTime) each outpost's local remote first held {@code commit}, looked at every 20 ms. */
    private static List<Long> awaitAll(Path dir, List<String> names, String commit, Duration atMost) throws Exception {
        long deadline = System.nanoTime() + atMost.toNanos();
        Long[] arrived = new Long[names.size()];
        int left = names.size();
        while (left > 0) {
            for (int i = 0; i < names.size(); i++) {
                if (arrived[i] == null && commit.equals(head(dir, names.get(i)))) {
                    arrived[i] = System.nanoTime();
                    left--;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(left + " of " + names.size() + " outposts did not get " + commit + " within " + atMost.toSeconds() + " s");
            }
            Thread.sleep(20);
        }
        return List.of(arrived);
    }

    private static String head(Path dir, String name) throws Exception {
        Path git = outpostData(dir, name).namespace(Tenants.OUTPOST).localRemote(OneMachine.CONFIG_REPO);
        if (!Files.isDirectory(git)) {
            return null;
        }
        // the bench looks at 50 outposts every 20 ms: the loose ref's file, where it is one, costs no repository to open
        Path loose = git.resolve(DemoOrigin.BRANCH);
        if (Files.isRegularFile(loose)) {
            return Files.readString(loose).strip();
        }
        try (Repository local = new FileRepositoryBuilder().setGitDir(git.toFile()).setBare().build()) {
            Ref main = local.exactRef(DemoOrigin.BRANCH);
            return main == null ? null : main.getObjectId().name();
        }
    }

    /** CPU seconds of the upstream gateway's threads (its Camel context names them). */
    private static double upstreamCpuSeconds() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long nanos = 0;
        for (ThreadInfo thread : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (thread != null && thread.getThreadName().startsWith(UPSTREAM_CAMEL + " ")) {
                nanos += Math.max(0, threads.getThreadCpuTime(thread.getThreadId()));
            }
        }
        return nanos / 1e9;
    }

    /** What the upstream's function counter {@code name} (with {@code tags}, key and value in turn) stands at. */
    private static double counted(MeterRegistry meters, String name, String... tags) {
        return meters.get(name).tags(tags).functionCounter().count();
    }

    private static long heapAfterGc() throws InterruptedException {
        System.gc();
        Thread.sleep(200);
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
