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
 * Goodput against loss: one image of {@code layerSize} bytes pulled over a link of fixed bandwidth and
 * delay, in the real loop (brokers, gateways, registries), for one loss rate. Goodput is the layer's
 * bytes over the time from request to ready, so it includes the round trip and every recovery.
 */
record GoodputScenario(Duration delay, long bytesPerSecond, long layerSize, Path registryBinary, Path terraform) {

    /** One measured row. */
    record Result(double loss, long bytes, double seconds, double goodputRatio, double target, long linkBytes, long lostBytes) {
    }

    Result run(double loss, Path dir) throws Exception {
        LinkSettings link = new LinkSettings(delay, Duration.ZERO, bytesPerSecond, new LinkFaults(loss, 0, 0, 0), OutageSchedule.alwaysUp(), 7L);
        try (BenchLoop loop = BenchLoop.start(dir, link, registryBinary, terraform, (origin, outpost) ->
                SyntheticImage.push(origin, "demo/bench", "v1", List.of(42L), layerSize, Files.createDirectories(dir.resolve("scratch"))))) {
            long start = System.nanoTime();
            loop.untilReady("the bench image", () -> loop.running().gateway().pull("demo/bench", "v1", ImagePull.DEFAULT_PLATFORM),
                    Duration.ofMillis(Math.max(300_000, 20 * layerSize * 1000 / bytesPerSecond)));
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Result(loss, layerSize, seconds, layerSize / seconds / bytesPerSecond, 0.9 * (1 - loss), loop.linkBytes(), loop.lostBytes());
        }
    }
}
