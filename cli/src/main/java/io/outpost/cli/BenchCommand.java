package io.outpost.cli;

import io.outpost.cli.bench.Bench;
import io.outpost.cli.bench.ConvergenceScenario;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Measures Outpost in-process against what the link allows and prints a table. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure Outpost on the simulated link and print a table; results also as JSON and an SVG chart in --out.",
                "Update scenarios (an update of config and one layer of a 4-layer image, against 2L + N/(B(1 - p)), beside the seed design):",
                "  geo (L = 300 ms, 2 Mbit/s), mars-scaled (Mars' mean delay / 500), lossy (geo, 5 %% loss; target 1.1), mars-lossy-5 and",
                "  mars-lossy-20 (mars-scaled, 5 and 20 %% loss; target 1.15), outage (geo, 8 s down mid-update),",
                "  dedup (geo, 8 workers ask for the image at once); custom: the same update on your link (--delay, --bandwidth, --loss, --outage).",
                "goodput: goodput / B(1 - p) of a 32 MB layer at L = 100 ms against loss 0, 1, 5, 20 %% (target 0.9; 0.97 at 20 %%),",
                "  of 8 MB at 0 and 5 %% (target 0.95) and of 32 MB at L = 1.5 s, 20 %% (target 0.95).",
                "git-history: a module repository's last 60 commits replayed one by one: link bytes against C git's thin bundles (target 1.1),",
                "  and the first sync against git bundle --all (target 1.02).",
                "holdings: an outpost holding 10 and 10,000 blobs asks for an update over 64 kbit/s: request bytes (target 2 KiB each).",
                "real-link: over a real kernel network path, 300 ms each way: sustained goodput / bandwidth at 2 and 20 Mbit/s (target 0.9),",
                "  and the geo update pushed at 2 Mbit/s against L + N/B (target 1.3); needs root.",
                "datagram: a 32 MB release pushed over the UDP link on that path at 20 Mbit/s, 5 %% packet loss: goodput / B(1 - p) (target 0.85);",
                "  needs root.",
                "Exits 1 when a target is missed."})
final class BenchCommand implements Callable<Integer> {
    private static final List<String> DEFAULT_SCENARIOS = List.of("geo", "mars-scaled", "lossy", "outage", "dedup");

    @Option(names = "--scenario", split = ",", description = "Scenarios to run, comma-separated: geo, mars-scaled, lossy, mars-lossy-5, mars-lossy-20,"
            + " outage, dedup, custom, goodput,"
            + " git-history, holdings, real-link, datagram, fleet (default: geo,mars-scaled,lossy,outage,dedup; custom when --delay, --bandwidth, --loss or --outage is given).")
    List<String> scenarios;

    @Option(names = "--delay", converter = Converters.DurationConverter.class, description = "One-way delay of the custom scenario's link (default 300ms).")
    Duration delay;

    @Option(names = "--bandwidth", converter = Converters.BandwidthConverter.class, description = "Bandwidth of the custom scenario's link (default 2Mbit).")
    Long bandwidth;

    @Option(names = "--loss", description = "Share of messages the custom scenario's link loses, 0 to 1 (default 0).")
    Double loss;

    @Option(names = "--outage", converter = Converters.DurationConverter.class,
            description = "How long the custom scenario's link goes down, two round trips into the update (default: it stays up).")
    Duration outage;

    @Option(names = "--baseline", defaultValue = "seed",
            description = "Run each update scenario again as the seed design would (seed), or not (none) (default: ${DEFAULT-VALUE}).")
    String baseline;

    @Option(names = "--size", converter = Converters.BandwidthConverter.class,
            description = "Bytes per image layer (update scenarios; default 2 MiB) or of the one layer (goodput; default 32MB).")
    Long size;

    @Option(names = "--losses", split = ",", defaultValue = "0,0.01,0.05,0.2", description = "Loss rates for goodput (default: ${DEFAULT-VALUE}).")
    List<Double> losses;

    @Option(names = "--fleet", split = ",", defaultValue = "1,10,50", description = "Outposts in each row of the fleet scenario (default: ${DEFAULT-VALUE}).")
    List<Integer> fleet;

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
        boolean customised = delay != null || bandwidth != null || loss != null || outage != null;
        List<String> names = scenarios != null ? scenarios : customised ? List.of("custom") : DEFAULT_SCENARIOS;
        if (customised && !names.contains("custom")) {
            throw new IllegalArgumentException("--delay, --bandwidth, --loss and --outage set the custom scenario: add custom to --scenario");
        }
        Bench bench = new Bench(registryBinary, TerraformBinary.locate(terraform));
        boolean met = true;
        List<ConvergenceScenario> updates = new ArrayList<>();
        for (String name : names) {
            if (name.equals("custom")) {
                updates.add(Bench.custom(delay == null ? Duration.ofMillis(300) : delay, bandwidth == null ? 250_000 : bandwidth, loss == null ? 0 : loss,
                        outage, size));
            } else if (!List.of("goodput", "real-link", "datagram", "git-history", "holdings", "fleet").contains(name)) {
                updates.add(Bench.scenario(name, size));
            }
        }
        if (!updates.isEmpty()) {
            met &= bench.convergence(updates, baseline.equals("seed"), out, System.out);
        }
        if (names.contains("git-history")) {
            met &= bench.gitHistory(out, System.out);
        }
        if (names.contains("holdings")) {
            met &= bench.holdings(out, System.out);
        }
        if (names.contains("fleet")) {
            met &= bench.fleet(fleet, out, System.out);
        }
        if (names.contains("datagram")) {
            met &= bench.datagram(out, System.out);
        }
        if (names.contains("goodput")) {
            met &= bench.goodput(size == null ? 32_000_000 : size, losses, size == null, out, System.out);
        }
        if (names.contains("real-link")) {
            met &= bench.realLink(out, System.out);
        }
        return met ? 0 : 1;
    }
}
