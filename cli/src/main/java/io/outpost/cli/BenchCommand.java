package io.outpost.cli;

import io.outpost.cli.bench.Bench;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Measures Outpost in-process against what the link allows and prints a table. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure Outpost on the simulated link and print a table; results also as JSON and an SVG chart in --out.",
                "Update scenarios (an update of config and one layer of a 4-layer image, against 2L + N/B, beside the seed design):",
                "  geo (L = 300 ms, 2 Mbit/s), mars-scaled (Mars' mean delay / 500), lossy (geo, 5 % loss), outage (geo, 8 s down mid-update),",
                "  dedup (geo, 8 workers ask for the image at once).",
                "goodput: goodput / bandwidth against loss 0, 1, 5, 20 % (target 0.9 x (1 - loss)).",
                "real-link: over a real kernel network path, 300 ms each way: sustained goodput / bandwidth at 2 and 20 Mbit/s (target 0.9),",
                "  and the geo update pushed at 2 Mbit/s against L + N/B (target 1.3); needs root.",
                "Exits 1 when a target is missed."})
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--scenario", split = ",", defaultValue = "geo,mars-scaled,lossy,outage,dedup",
            description = "Scenarios to run, comma-separated: geo, mars-scaled, lossy, outage, dedup, goodput, real-link (default: ${DEFAULT-VALUE}).")
    List<String> scenarios;

    @Option(names = "--baseline", defaultValue = "seed",
            description = "Run each update scenario again as the seed design would (seed), or not (none) (default: ${DEFAULT-VALUE}).")
    String baseline;

    @Option(names = "--size", converter = Converters.BandwidthConverter.class,
            description = "Bytes per image layer (update scenarios; default 2 MiB) or of the one layer (goodput; default 32MB).")
    Long size;

    @Option(names = "--losses", split = ",", defaultValue = "0,0.01,0.05,0.2", description = "Loss rates for goodput (default: ${DEFAULT-VALUE}).")
    List<Double> losses;

    @Option(names = "--out", defaultValue = "outpost-bench", description = "Directory for bench.json, bench.svg and goodput.json (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--registry-binary", defaultValue = "/usr/bin/docker-registry", description = "The registry binary (default: ${DEFAULT-VALUE}).")
    Path registryBinary;

    @Option(names = "--terraform", description = "Path of the terraform CLI (default: found on PATH).")
    String terraform;

    @Override
    public Integer call() throws Exception {
        if (!List.of("seed", "none").contains(baseline)) {
            throw new IllegalArgumentException("--baseline is seed or none, not '" + baseline + "'");
        }
        Bench bench = new Bench(registryBinary, TerraformBinary.locate(terraform));
        boolean met = true;
        List<String> updates = scenarios.stream().filter(name -> !name.equals("goodput") && !name.equals("real-link")).toList();
        if (!updates.isEmpty()) {
            met &= bench.convergence(updates, baseline.equals("seed"), size, out, System.out);
        }
        if (scenarios.contains("goodput")) {
            met &= bench.goodput(size == null ? 32_000_000 : size, losses, out, System.out);
        }
        if (scenarios.contains("real-link")) {
            met &= bench.realLink(out, System.out);
        }
        return met ? 0 : 1;
    }
}
