package io.outpost.cli.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.outpost.cli.OneMachine;
import io.outpost.link.LinkAccounting;
import io.outpost.link.LinkDirection;
import io.outpost.link.LinkFaults;
import io.outpost.link.LinkSettings;
import io.outpost.link.OutageSchedule;
import io.outpost.protocol.ImagePull;
import io.outpost.protocol.Ready;
import io.outpost.registry.RegistryClient;
import io.outpost.registry.RegistryEndpoint;
import io.outpost.registry.RegistryProcess;
import io.outpost.site.OperatorEvents;
import io.outpost.site.SiteBroker;
import io.outpost.site.SiteJms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * Goodput against loss: one image of {@code layerSize} bytes pulled over a link of fixed bandwidth and
 * delay, in the real loop (brokers, gateways, registries), for one loss rate. Goodput is the layer's
 * bytes over the time from request to ready, so it includes the round trip and every recovery.
 */
record GoodputScenario(Duration delay, long bytesPerSecond, long layerSize, Path registryBinary, Path terraform) {

    /** One measured row. */
    record Result(double loss, long bytes, double seconds, double goodputRatio, double target, long linkBytes, long lostBytes) {
    }

    Result run(double loss, Path dir) throws Exception {
        try (SiteBroker outpost = SiteBroker.start("outpost", dir.resolve("outpost/broker"), 0);
             SiteBroker upstream = SiteBroker.start("upstream", dir.resolve("upstream/broker"), 0);
             RegistryProcess origin = RegistryProcess.start(registryBinary, dir.resolve("upstream/origin/registry"), 0);
             RegistryProcess local = RegistryProcess.start(registryBinary, dir.resolve("outpost/registry"), 0)) {
            CamelContext camel = new DefaultCamelContext();
            try {
                camel.addComponent("outpost", SiteJms.component(outpost.vmUrl()));
                camel.addComponent("upstream", SiteJms.component(upstream.vmUrl()));
                camel.start();
                RegistryEndpoint originEndpoint = RegistryEndpoint.of(origin.url().toString());
                SyntheticImage.push(new RegistryClient(originEndpoint), "demo/bench", "v1", layerSize, 42, Files.createDirectories(dir.resolve("scratch")));
                LinkSettings link = new LinkSettings(delay, Duration.ZERO, bytesPerSecond, new LinkFaults(loss, 0, 0, 0), OutageSchedule.alwaysUp(), 7L);
                OneMachine.Running running = new OneMachine(dir, new OneMachine.DemoSettings(link, null, Duration.ofHours(1), Duration.ofHours(1),
                        Duration.ofMinutes(10), terraform, new OneMachine.Registries(RegistryEndpoint.of(local.url().toString()), originEndpoint)),
                        new SimpleMeterRegistry(), OperatorEvents.none(), Clock.systemUTC()).install(camel);
                long start = System.nanoTime();
                Ready ready = pullUntilReady(running);
                double seconds = (System.nanoTime() - start) / 1e9;
                if (ready.status() == Ready.Status.FAILED) {
                    throw new IllegalStateException("the bench image did not arrive: " + ready.message());
                }
                LinkAccounting accounting = running.link();
                double ratio = layerSize / seconds / bytesPerSecond;
                return new Result(loss, layerSize, seconds, ratio, 0.9 * (1 - loss),
                        accounting.bytes(LinkDirection.TO_OUTPOST) + accounting.bytes(LinkDirection.TO_UPSTREAM),
                        accounting.lostBytes(LinkDirection.TO_OUTPOST) + accounting.lostBytes(LinkDirection.TO_UPSTREAM));
            } finally {
                camel.stop();
            }
        }
    }

    /**
     * As a worker's runs would: ask again every few round trips until the image is in (the gateway
     * coalesces repeats and re-sends a request only after 3 round trips + 5 s).
     */
    private Ready pullUntilReady(OneMachine.Running running) throws Exception {
        long patienceMillis = delay.multipliedBy(6).plusSeconds(2).toMillis();
        long deadline = System.currentTimeMillis() + Math.max(300_000, 20 * layerSize * 1000 / bytesPerSecond);
        while (System.currentTimeMillis() < deadline) {
            try {
                return running.gateway().pull("demo/bench", "v1", ImagePull.DEFAULT_PLATFORM).get(patienceMillis, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException notYet) {
                // ask again
            }
        }
        throw new IllegalStateException("the bench image did not arrive in time");
    }
}
