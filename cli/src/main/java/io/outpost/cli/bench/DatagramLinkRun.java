package io.outpost.cli.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.outpost.broker.SiteBroker;
import io.outpost.brokerclient.BrokerRole;
import io.outpost.brokerclient.SiteJms;
import io.outpost.cli.OneMachine;
import io.outpost.data.DataDirectory;
import io.outpost.gateway.upstream.Allowlist;
import io.outpost.gateway.upstream.UpstreamGateway;
import io.outpost.gateway.upstream.provider.ProviderOrigins;
import io.outpost.link.LinkAccounting;
import io.outpost.link.LinkDirection;
import io.outpost.link.LinkTotal;
import io.outpost.link.TransferCoding;
import io.outpost.link.TransferTiming;
import io.outpost.link.datagram.DatagramLink;
import io.outpost.protocol.MessageTypes;
import io.outpost.txrxsim.origin.DemoModuleRegistry;
import io.outpost.txrxsim.origin.DemoOrigin;
import io.outpost.txrxsim.origin.DemoProviderRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.eclipse.jgit.transport.URIish;

/**
 * A release pushed to an outpost over the datagram link, on a real kernel network path ({@link NetworkPath}: one-way
 * delay L, bandwidth B, a share p of packets dropped): the upstream gateway and its end of the link in this process,
 * the outpost gateway (subscribed to the config repo) in its namespace, each end bound to its side of the path. The
 * release carries a payload file of {@code payloadBytes} that git cannot compress much, so its bundle is a transfer of
 * about that size. Measured from the bundle's transfer starting at the upstream to the outpost's local remote holding
 * the commit; goodput is the chunk bytes the outpost took in over that time less L, against B(1 - p).
 */
public final class DatagramLinkRun {
    static final String OUTPOST = "bench";
    private static final int PORT = 47000;
    private static final int UPSTREAM_BROKER_PORT = 61627;

    /** What one run measured. */
    public record Result(int oneWayMillis, long bitsPerSecond, int lossPercent, long chunkBytes, double seconds, double goodputRatio) {
    }

    private DatagramLinkRun() {
    }

    public static Result run(Path dir, int oneWayMillis, long bytesPerSecond, int lossPercent, int payloadBytes) throws Exception {
        DataDirectory data = new DataDirectory(dir);
        double loss = lossPercent / 100.0;
        try (NetworkPath path = NetworkPath.open(oneWayMillis, bytesPerSecond * 8, lossPercent)) {
            DemoOrigin origin = new DemoOrigin(data.originGit().resolve(OneMachine.CONFIG_REPO + ".git"), null, Clock.systemUTC());
            origin.current();
            OneMachine.exchangeKeys(dir, OUTPOST);
            SiteBroker upstream = SiteBroker.start(UpstreamGateway.SITE, data.upstream(), UPSTREAM_BROKER_PORT, List.of());
            CamelContext camel = new DefaultCamelContext();
            Process outpost = null;
            // the demo config names the demo origin's provider and modules: the upstream serves them, or it refuses the config
            DemoProviderRegistry providers = DemoProviderRegistry.start(data.originProviders());
            DemoModuleRegistry modules = DemoModuleRegistry.start(data.originModules());
            try {
                camel.addComponent("upstream", SiteJms.component(upstream.access(BrokerRole.GATEWAY)));
                TransferTiming timing = TransferTiming.forRoundTrip(Duration.ofMillis(2L * oneWayMillis));
                UpstreamGateway.builder(OUTPOST, data.upstream())
                        .repos(new Allowlist(Map.of(OneMachine.CONFIG_REPO, new URIish(origin.dir().toUri().toURL()))))
                        .providers(new ProviderOrigins(List.of(OneMachine.PROVIDERS), Map.of(DemoProviderRegistry.SOURCE.hostname(), providers.url())))
                        .modules(OneMachine.demoModules(modules))
                        .timing(timing).coding(new TransferCoding(loss, bytesPerSecond)).pollEvery(OneMachine.PUSH_POLL).build().install(camel);
                new DatagramLink("upstream", OUTPOST, new InetSocketAddress(NetworkPath.UPSTREAM_ADDRESS, PORT), new InetSocketAddress(NetworkPath.OUTPOST_ADDRESS, PORT),
                        bytesPerSecond, loss, new LinkAccounting(new SimpleMeterRegistry(), dir.resolve("upstream-link-stats.json")), Clock.systemUTC())
                        .install(camel);
                camel.start();
                outpost = RealLinkScenario.startOutpostGateway(path, dir, List.of("--link-round-trip", (2 * oneWayMillis) + "ms",
                        "--link-bandwidth", bytesPerSecond + "B", "--link-loss", String.valueOf(loss), "--subscribe", OneMachine.CONFIG_REPO,
                        "--link-datagram", NetworkPath.OUTPOST_ADDRESS + ":" + PORT, "--link-peer", NetworkPath.UPSTREAM_ADDRESS + ":" + PORT));
                RealLinkScenario.awaitLog(dir.resolve("outpost-gateway.log"), "link: UDP datagrams", Duration.ofSeconds(90));
                ConvergenceScenario.awaitSubscription(dir, OUTPOST);
                String commit = origin.publishNext(Map.of("payload.txt", incompressible(payloadBytes))).commit();
                // the clock starts when the bundle's transfer does: making a bundle of this much is the origin's time, not the link's
                long start = firstTransferStarts(data.upstream().outpost(OUTPOST).transfersOut(), Duration.ofMinutes(2));
                ConvergenceScenario.awaitLocalHead(dir, commit, Duration.ofMinutes(5));
                double seconds = (System.nanoTime() - start) / 1e9;
                long chunkBytes = LinkAccounting.read(data.linkStats()).getOrDefault(LinkDirection.TO_OUTPOST.tag(), Map.of())
                        .getOrDefault(MessageTypes.CHUNK, new LinkTotal(0, 0)).bytes();
                double goodput = chunkBytes / (seconds - oneWayMillis / 1000.0) / (bytesPerSecond * (1 - loss));
                return new Result(oneWayMillis, bytesPerSecond * 8, lossPercent, chunkBytes, seconds, goodput);
            } finally {
                RealLinkScenario.stop(camel, outpost, upstream);
                providers.close();
                modules.close();
            }
        }
    }

    /** When (System.nanoTime) a transfer first appears under {@code outgoing}, looked at every 10 ms. */
    private static long firstTransferStarts(Path outgoing, Duration atMost) throws Exception {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < deadline) {
            if (java.nio.file.Files.isDirectory(outgoing)) {
                try (java.util.stream.Stream<Path> transfers = java.nio.file.Files.list(outgoing)) {
                    if (transfers.findAny().isPresent()) {
                        return System.nanoTime();
                    }
                }
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("the upstream started no transfer within " + atMost.toSeconds() + " s of the release");
    }

    /** Base64 of random bytes: text git deflates to about three quarters, so {@code bytes} of it make a bundle of about that much less a quarter. */
    private static String incompressible(int bytes) {
        byte[] random = new byte[bytes * 3 / 4];
        new Random(bytes).nextBytes(random);
        return Base64.getMimeEncoder().encodeToString(random);
    }
}
