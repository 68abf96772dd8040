package io.outpost.cli.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.outpost.broker.SiteBroker;
import io.outpost.brokerclient.BrokerRole;
import io.outpost.brokerclient.SiteJms;
import io.outpost.cli.OneMachine;
import io.outpost.data.DataDirectory;
import io.outpost.events.OperatorEvents;
import io.outpost.link.LinkDirection;
import io.outpost.protocol.Ready;
import io.outpost.protocol.SyncMode;
import io.outpost.registry.RegistryClient;
import io.outpost.registry.RegistryEndpoint;
import io.outpost.registry.RegistryProcess;
import io.outpost.txrxsim.link.LinkSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The real loop for one measurement, in a scratch directory: both sites' brokers, the origin's and the
 * outpost's registries, and every role on the simulated link. Closing it stops them all.
 */
final class BenchLoop implements AutoCloseable {
    /** What a scenario puts in place before the roles start: the origin's content, what the outpost already holds. */
    @FunctionalInterface
    interface Setup {
        void prepare(RegistryClient origin, RegistryClient outpost) throws Exception;
    }

    private final SiteBroker outpostBroker;
    private final SiteBroker upstreamBroker;
    private final RegistryProcess originRegistry;
    private final RegistryProcess outpostRegistry;
    private final CamelContext camel;
    private final JmsComponent outpostJms;
    private final JmsComponent upstreamJms;
    private final Duration delay;
    private OneMachine.Running running;

    private BenchLoop(Path dir, Path registryBinary, Duration delay) throws Exception {
        this.delay = delay;
        outpostBroker = SiteBroker.start("outpost", new DataDirectory(dir).outpost(), 0);
        upstreamBroker = SiteBroker.start("upstream", new DataDirectory(dir).upstream(), 0);
        originRegistry = RegistryProcess.start(registryBinary, new DataDirectory(dir).originRegistry(), 0);
        outpostRegistry = RegistryProcess.start(registryBinary, new DataDirectory(dir).outpost().registry(), 0);
        camel = new DefaultCamelContext();
        outpostJms = SiteJms.component(outpostBroker.access(BrokerRole.GATEWAY));
        upstreamJms = SiteJms.component(upstreamBroker.access(BrokerRole.GATEWAY));
        camel.addComponent("outpost", outpostJms);
        camel.addComponent("upstream", upstreamJms);
        camel.start();
    }

    static BenchLoop start(Path dir, LinkSettings link, Path registryBinary, Path terraform, Setup setup) throws Exception {
        return start(dir, link, registryBinary, terraform, SyncMode.PULL, setup);
    }

    static BenchLoop start(Path dir, LinkSettings link, Path registryBinary, Path terraform, SyncMode mode, Setup setup) throws Exception {
        BenchLoop loop = new BenchLoop(dir, registryBinary, link.delay());
        try {
            RegistryEndpoint origin = RegistryEndpoint.of(loop.originRegistry.url().toString());
            RegistryEndpoint outpost = RegistryEndpoint.of(loop.outpostRegistry.url().toString());
            setup.prepare(new RegistryClient(origin), new RegistryClient(outpost));
            loop.running = new OneMachine(dir, new OneMachine.DemoSettings(link, null, Duration.ofHours(1), Duration.ofHours(1),
                    Duration.ofMinutes(10), terraform, new OneMachine.Registries(outpost, origin), mode),
                    new SimpleMeterRegistry(), OperatorEvents.none(), Clock.systemUTC()).install(loop.camel);
            return loop;
        } catch (Exception | Error e) {
            loop.close();
            throw e;
        }
    }

    OneMachine.Running running() {
        return running;
    }

    /** Bytes the link carried both ways so far (lost ones not included). */
    long linkBytes() {
        return running.link().bytes(LinkDirection.TO_OUTPOST) + running.link().bytes(LinkDirection.TO_UPSTREAM);
    }

    long lostBytes() {
        return running.link().lostBytes(LinkDirection.TO_OUTPOST) + running.link().lostBytes(LinkDirection.TO_UPSTREAM);
    }

    /**
     * As a worker's runs would: ask again every few round trips until the answer is in (the gateway
     * coalesces repeats and re-sends a request only after 3 round trips + 5 s). A failure ends the bench.
     */
    Ready untilReady(String what, Supplier<CompletableFuture<Ready>> ask, Duration atMost) throws Exception {
        long patienceMillis = delay.multipliedBy(6).plusSeconds(2).toMillis();
        long deadline = System.currentTimeMillis() + atMost.toMillis();
        while (System.currentTimeMillis() < deadline) {
            try {
                Ready ready = ask.get().get(patienceMillis, TimeUnit.MILLISECONDS);
                if (ready.status() == Ready.Status.FAILED) {
                    throw new IllegalStateException(what + " failed: " + ready.message());
                }
                return ready;
            } catch (TimeoutException notYet) {
                // ask again
            }
        }
        throw new IllegalStateException(what + " did not arrive within " + atMost.toSeconds() + " s");
    }

    @Override
    public void close() {
        try (outpostBroker; upstreamBroker; originRegistry; outpostRegistry) {
            camel.stop();
            SiteJms.closeConnections(outpostJms, upstreamJms);
        }
    }
}
