package io.outpost.cli.bench;

import io.outpost.protocol.Json;
import io.outpost.site.Sizes;
import io.outpost.transfer.DurableFiles;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Runs benchmark scenarios in temporary data directories and prints what they measured. */
public final class Bench {
    private static final Duration DELAY = Duration.ofMillis(100);
    private static final long BANDWIDTH = 2_000_000;

    private final Path registryBinary;
    private final Path terraform;

    public Bench(Path registryBinary, Path terraform) {
        this.registryBinary = registryBinary;
        this.terraform = terraform;
    }

    /** Returns true when every row met its target. */
    public boolean goodput(long size, List<Double> losses, Path json, PrintStream out) throws Exception {
        GoodputScenario scenario = new GoodputScenario(DELAY, BANDWIDTH, size, registryBinary, terraform);
        out.printf("goodput: %s image layer, one-way delay %d ms, bandwidth %s/s (%d Mbit/s)%n", Sizes.bytes(size), DELAY.toMillis(),
                Sizes.bytes(BANDWIDTH), BANDWIDTH * 8 / 1_000_000);
        out.printf("%6s %10s %9s %14s %8s %8s %12s %12s%n", "loss", "bytes", "seconds", "goodput/bw", "target", "met", "link bytes", "lost bytes");
        warmUp(new GoodputScenario(DELAY, BANDWIDTH, Math.max(1, size / 8), registryBinary, terraform), out);
        List<GoodputScenario.Result> results = new ArrayList<>();
        boolean allMet = true;
        for (double loss : losses) {
            Path dir = Files.createTempDirectory("outpost-bench-");
            try {
                GoodputScenario.Result result = scenario.run(loss, dir);
                results.add(result);
                boolean met = result.goodputRatio() >= result.target();
                allMet &= met;
                out.printf("%5.0f%% %10d %9.2f %14.3f %8.3f %8s %12d %12d%n", loss * 100, result.bytes(), result.seconds(),
                        result.goodputRatio(), result.target(), met ? "yes" : "NO", result.linkBytes(), result.lostBytes());
            } finally {
                DurableFiles.deleteTree(dir);
            }
        }
        if (json != null) {
            Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(json.toFile(), results);
            out.println("results written to " + json);
        }
        return allMet;
    }

    /** One unreported run first, so the table measures Outpost rather than a cold JVM. */
    private static void warmUp(GoodputScenario scenario, PrintStream out) throws Exception {
        out.println("(warming up the JVM with one unreported run)");
        Path dir = Files.createTempDirectory("outpost-bench-");
        try {
            scenario.run(0, dir);
        } finally {
            DurableFiles.deleteTree(dir);
        }
    }
}
