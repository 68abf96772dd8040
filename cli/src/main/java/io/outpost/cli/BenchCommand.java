package io.outpost.cli;

import io.outpost.cli.bench.Bench;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Measures Outpost in-process against what the link allows and prints a table. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure Outpost on the simulated link and print a table (and JSON with --json).",
                "Scenarios: goodput (goodput / bandwidth against loss 0, 1, 5, 20 %; target 0.9 x (1 - loss))."})
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--scenario", defaultValue = "goodput", description = "Scenario to run (default: ${DEFAULT-VALUE}).")
    String scenario;

    @Option(names = "--size", defaultValue = "32MB", converter = Converters.BandwidthConverter.class,
            description = "Bytes of new content the scenario moves, e.g. 8MB (default: ${DEFAULT-VALUE}).")
    long size;

    @Option(names = "--losses", split = ",", defaultValue = "0,0.01,0.05,0.2", description = "Loss rates to measure (default: ${DEFAULT-VALUE}).")
    List<Double> losses;

    @Option(names = "--json", description = "Also write the results as JSON to this file.")
    Path json;

    @Option(names = "--registry-binary", defaultValue = "/usr/bin/docker-registry", description = "The registry binary (default: ${DEFAULT-VALUE}).")
    Path registryBinary;

    @Option(names = "--terraform", description = "Path of the terraform CLI (default: found on PATH).")
    String terraform;

    @Override
    public Integer call() throws Exception {
        if (!scenario.equals("goodput")) {
            throw new IllegalArgumentException("unknown scenario '" + scenario + "': the scenarios are goodput");
        }
        return new Bench(registryBinary, TerraformBinary.locate(terraform)).goodput(size, losses, json, System.out) ? 0 : 1;
    }
}
