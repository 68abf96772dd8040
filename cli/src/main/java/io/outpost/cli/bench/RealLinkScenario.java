package io.outpost.cli.bench;

import io.outpost.broker.SiteBroker;
import io.outpost.brokerclient.Addresses;
import io.outpost.brokerclient.BrokerRole;
import io.outpost.brokerclient.SiteJms;
import io.outpost.cli.OneMachine;
import io.outpost.cli.UpstreamJoinLine;
import io.outpost.data.DataDirectory;
import io.outpost.gateway.upstream.UpstreamGateway;
import io.outpost.link.LinkAccounting;
import io.outpost.link.LinkDirection;
import io.outpost.link.LinkTotal;
import io.outpost.link.network.UpstreamTrust;
import io.outpost.protocol.MessageTypes;
import io.outpost.protocol.transfer.Chunk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The real link's goodput: {@code bytes} in chunk-sized messages cross from the upstream's broker to an
 * outpost gateway process in a network namespace, over a path of one-way delay L and bandwidth B each way
 * (TLS, TCP's own window and slow start, both brokers), against B: over the whole transfer, from the first put
 * until the outpost has counted the last (TCP's slow start at a 600 ms round trip costs seconds of it), and
 * sustained, over the transfer's second half, once the connection has opened its window: what one connection
 * carries. The outpost gateway caps what it takes at 0.95 x B, as README advises for a path whose bottleneck
 * queue is not the operator's: uncapped, TCP fills the queue until it drops a burst, and cubic at this round
 * trip takes tens of seconds to grow back (measured here: 0.97 x B between such losses, 0.82 over 32 MiB).
 */
record RealLinkScenario(String name, int oneWayMillis, long bytesPerSecond, long bytes) {
    private static final int UPSTREAM_PORT = 61617;

    record Result(String name, int oneWayMillis, long bitsPerSecond, long bytes, double seconds, double goodputRatio, double sustainedRatio,
                  double target) {
    }

    /** What the outpost had counted at one instant. */
    private record Sample(long nanos, long bytes) {
    }

    Result run(Path dir) throws Exception {
        DataDirectory data = new DataDirectory(dir);
        try (NetworkPath path = NetworkPath.open(oneWayMillis, bytesPerSecond * 8, 0)) {
            SiteBroker upstream = joinedUpstream(dir);
            Process outpost = null;
            CamelContext camel = new DefaultCamelContext();
            try {
                outpost = startOutpostGateway(path, dir);
                awaitLog(dir.resolve("outpost-gateway.log"), "link: dialing the upstream", Duration.ofSeconds(90));
                camel.addComponent("upstream", SiteJms.component(upstream.access(BrokerRole.GATEWAY)));
                camel.start();
                // one chunk-sized message first, so the timing starts on a link that is connected
                send(camel.createProducerTemplate(), 1, new Random(1));
                awaitCounted(data.linkStats(), Chunk.SIZE, Duration.ofSeconds(90));
                long start = System.nanoTime();
                long moved = bytes / Chunk.SIZE * Chunk.SIZE;
                send(camel.createProducerTemplate(), (int) (bytes / Chunk.SIZE), new Random(2));
                List<Sample> samples = awaitCounted(data.linkStats(), Chunk.SIZE + moved, Duration.ofSeconds(Math.max(120, 20 * bytes / bytesPerSecond)));
                Sample last = samples.get(samples.size() - 1);
                Sample half = samples.stream().filter(sample -> sample.bytes() >= Chunk.SIZE + moved / 2).findFirst().orElseThrow();
                double seconds = (last.nanos() - start) / 1e9;
                double sustained = (last.bytes() - half.bytes()) / ((last.nanos() - half.nanos()) / 1e9) / bytesPerSecond;
                return new Result(name, oneWayMillis, bytesPerSecond * 8, moved, seconds, moved / seconds / bytesPerSecond, sustained, 0.9);
            } finally {
                stop(camel, outpost, upstream);
            }
        }
    }

    /** Stops what a run over the path started at the upstream, and the outpost gateway's process (null when it did not start). */
    static void stop(CamelContext camel, Process outpost, SiteBroker upstream) throws InterruptedException {
        camel.stop();
        if (outpost != null) {
            outpost.destroy();
            outpost.waitFor();
        }
        upstream.close();
    }

    private Process startOutpostGateway(NetworkPath path, Path dir) throws Exception {
        return startOutpostGateway(path, dir, List.of("--link-round-trip", (2 * oneWayMillis) + "ms", "--link-bandwidth", bytesPerSecond + "B",
                "--rate-to-outpost", (bytesPerSecond * 95 / 100) + "B"));
    }

    /** The upstream's broker listening on the path, and the outpost "bench" joined to it: keys exchanged, its join line taken. */
    static SiteBroker joinedUpstream(Path dir) {
        DataDirectory data = new DataDirectory(dir);
        String address = NetworkPath.UPSTREAM_ADDRESS + ":" + UPSTREAM_PORT;
        SiteBroker upstream = SiteBroker.start(UpstreamGateway.SITE, data.upstream(), NetworkPath.UPSTREAM_ADDRESS, UPSTREAM_PORT, List.of());
        try {
            OneMachine.exchangeKeys(dir, "bench");
            new UpstreamTrust(data.outpost().upstreamLink()).join(UpstreamJoinLine.of(data.upstream(), address), Duration.ofSeconds(30));
            return upstream;
        } catch (RuntimeException e) {
            upstream.close();
            throw e;
        }
    }

    /** The outpost gateway named "bench" as a process in the outpost's namespace, its output in {@code DATA/outpost-gateway.log}. */
    static Process startOutpostGateway(NetworkPath path, Path dir, List<String> options) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), "io.outpost.cli.OutpostCli",
                "outpost-gateway", "--data", dir.toString(), "--name", "bench"));
        command.addAll(options);
        return new ProcessBuilder(path.atTheOutpost(command)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("outpost-gateway.log").toFile())).start();
    }

    /** Puts {@code count} chunk-sized messages of random bytes on the upstream's queue to the outpost "bench", as its outbox would. */
    private static void send(ProducerTemplate producer, int count, Random random) {
        for (int i = 0; i < count; i++) {
            byte[] body = new byte[Chunk.SIZE];
            random.nextBytes(body);
            producer.sendBodyAndHeaders("upstream:queue:" + Addresses.outboundTo("bench"), body, Map.of(Addresses.TYPE, MessageTypes.CHUNK));
        }
    }

    /** What the outpost has counted, every 20 ms, until it is {@code bytes}. */
    private static List<Sample> awaitCounted(Path stats, long bytes, Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        List<Sample> samples = new ArrayList<>();
        for (Sample sample = new Sample(System.nanoTime(), counted(stats)); ; sample = new Sample(System.nanoTime(), counted(stats))) {
            samples.add(sample);
            if (sample.bytes() >= bytes) {
                return samples;
            }
            if (sample.nanos() > deadline) {
                throw new IllegalStateException("only " + sample.bytes() + " of " + bytes + " bytes crossed the real link within " + atMost.toSeconds() + " s");
            }
            Thread.sleep(20);
        }
    }

    private static long counted(Path stats) {
        if (!Files.exists(stats)) {
            return 0;
        }
        try {
            return LinkAccounting.read(stats).getOrDefault(LinkDirection.TO_OUTPOST.tag(), Map.of()).values().stream().mapToLong(LinkTotal::bytes).sum();
        } catch (RuntimeException partlyWritten) {
            return 0;
        }
    }

    static void awaitLog(Path log, String line, Duration atMost) throws Exception {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!Files.exists(log) || !Files.readString(log).contains(line)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the outpost gateway did not start its link within " + atMost.toSeconds() + " s; its log: " + log);
            }
            Thread.sleep(200);
        }
    }
}
