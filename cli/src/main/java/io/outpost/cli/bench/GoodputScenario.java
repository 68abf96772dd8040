package io.outpost.cli.bench;

import io.outpost.link.OutageSchedule;
import io.outpost.protocol.ImagePull;
import io.outpost.txrxsim.link.LinkFaults;
import io.outpost.txrxsim.link.LinkSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Goodput against loss: one image of {@code layerSize} bytes pulled over a link of fixed bandwidth, delay and loss,
 * in the real loop (brokers, gateways, registries). Goodput is the layer's bytes over the time from request to
 * ready less the round trip that asking costs (2L, the same for any link of that delay), so it counts every
 * recovery and all serial work, against what the link delivers: B(1 - p).
 */
record GoodputScenario(Duration delay, long bytesPerSecond, long layerSize, double loss, double target, Path registryBinary, Path terraform) {

    /** One measured row. */
    record Result(double loss, long bytes, long delayMillis, double seconds, double goodputRatio, double target, long linkBytes, long lostBytes) {
    }

    Result run(Path dir) throws Exception {
        LinkSettings link = new LinkSettings(delay, Duration.ZERO, bytesPerSecond, new LinkFaults(loss, 0, 0, 0), OutageSchedule.alwaysUp(), 7L);
        try (BenchLoop loop = BenchLoop.start(dir, link, registryBinary, terraform, (origin, outpost) ->
                SyntheticImage.push(origin, "demo/bench", "v1", List.of(42L), layerSize, Files.createDirectories(dir.resolve("scratch"))))) {
            long start = System.nanoTime();
            loop.untilReady("the bench image", () -> loop.running().gateway().pull("demo/bench", "v1", ImagePull.DEFAULT_PLATFORM),
                    Duration.ofMillis(Math.max(300_000, 20 * layerSize * 1000 / bytesPerSecond)));
            double seconds = (System.nanoTime() - start) / 1e9;
            double linkSeconds = seconds - 2 * delay.toMillis() / 1000.0;
            return new Result(loss, layerSize, delay.toMillis(), seconds, layerSize / linkSeconds / (bytesPerSecond * (1 - loss)), target,
                    loop.linkBytes(), loop.lostBytes());
        }
    }
}
