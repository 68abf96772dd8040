package io.outpost.cli.bench;

import io.outpost.data.DurableFiles;
import io.outpost.events.Sizes;
import io.outpost.protocol.Json;
import io.outpost.txrxsim.link.LinkFaults;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Runs benchmark scenarios in temporary data directories and prints what they measured. */
public final class Bench {
    private static final Duration DELAY = Duration.ofMillis(100);
    private static final long BANDWIDTH = 2_000_000;
    /** How close to its physical limit the geo update must come. */
    private static final double UPDATE_TARGET = 1.3;
    /** Lossy links' targets for the pulled update against 2L + N/(B(1 - p)), by scenario (deep space: issue 19's table). */
    private static final Map<String, Double> LOSS_TARGETS = Map.of("lossy", 1.1, "mars-lossy-5", 1.15, "mars-lossy-20", 1.15);

    private final Path registryBinary;
    private final Path terraform;

    public Bench(Path registryBinary, Path terraform) {
        this.registryBinary = registryBinary;
        this.terraform = terraform;
    }

    /** Goodput / B(1 - p) a row must reach: 0.9 at light loss, and issue 19's targets at 20 %, at L = 1.5 s and at 8 MB. */
    static final double GOODPUT_TARGET = 0.9;
    static final double GOODPUT_TARGET_HEAVY_LOSS = 0.97;
    static final double GOODPUT_TARGET_MARS = 0.95;
    static final double GOODPUT_TARGET_SMALL = 0.95;
    static final long SMALL_LAYER = 8_000_000;

    /**
     * Returns true when every row met its target; writes {@code goodput.json} to {@code outDir}. The rows: a layer of
     * {@code size} at each of {@code losses} at L = 100 ms, then, with {@code standardRows}, 8 MB at 0 and 5 % and 32 MB
     * at 20 % loss at L = 1.5 s.
     */
    public boolean goodput(long size, List<Double> losses, boolean standardRows, Path outDir, PrintStream out) throws Exception {
        List<GoodputScenario> rows = new ArrayList<>();
        for (double loss : losses) {
            rows.add(new GoodputScenario(DELAY, BANDWIDTH, size, loss, loss >= 0.2 ? GOODPUT_TARGET_HEAVY_LOSS : GOODPUT_TARGET, registryBinary, terraform));
        }
        if (standardRows) {
            for (double loss : List.of(0.0, 0.05)) {
                rows.add(new GoodputScenario(DELAY, BANDWIDTH, SMALL_LAYER, loss, GOODPUT_TARGET_SMALL, registryBinary, terraform));
            }
            rows.add(new GoodputScenario(MARS_DELAY, BANDWIDTH, size, 0.2, GOODPUT_TARGET_MARS, registryBinary, terraform));
        }
        out.printf("goodput: an image layer, bandwidth %s/s (%d Mbit/s); goodput = bytes / (time from request to ready - 2L), against B(1 - p)%n",
                Sizes.bytes(BANDWIDTH), BANDWIDTH * 8 / 1_000_000);
        out.printf("%6s %10s %6s %9s %14s %8s %8s %12s %12s%n", "loss", "bytes", "L ms", "seconds", "goodput/B(1-p)", "target", "met", "link bytes",
                "lost bytes");
        GoodputScenario small = new GoodputScenario(DELAY, BANDWIDTH, Math.max(1, size / 8), 0, 0, registryBinary, terraform);
        warmUp(out, small::run);
        List<GoodputScenario.Result> results = new ArrayList<>();
        boolean allMet = true;
        for (GoodputScenario row : rows) {
            Path dir = Files.createTempDirectory("outpost-bench-");
            try {
                GoodputScenario.Result result = row.run(dir);
                results.add(result);
                boolean met = result.goodputRatio() >= result.target();
                allMet &= met;
                out.printf("%5.0f%% %10d %6d %9.2f %14.3f %8.3f %8s %12d %12d%n", result.loss() * 100, result.bytes(), result.delayMillis(),
                        result.seconds(), result.goodputRatio(), result.target(), met ? "yes" : "NO", result.linkBytes(), result.lostBytes());
            } finally {
                DurableFiles.deleteTree(dir);
            }
        }
        Files.createDirectories(outDir);
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(outDir.resolve("goodput.json").toFile(), results);
        out.println("results: " + outDir.resolve("goodput.json"));
        return allMet;
    }

    /** Issue 17's targets: the last of a fleet converges within this of the time one outpost takes; CPU per outpost-update within this of one's. */
    static final double FLEET_TIME_TARGET = 1.5;
    static final double FLEET_CPU_TARGET = 1.25;

    /**
     * The fleet ({@link FleetScenario}): one upstream serving {@code sizes} outposts in turn, each on a link of 200 ms and 1 Mbit/s, one
     * release with a new 1 MB layer; returns true when the origin's bytes did not grow with the fleet, the upstream's CPU per
     * outpost-update stayed within {@link #FLEET_CPU_TARGET} of one outpost's, and the last outpost converged within
     * {@link #FLEET_TIME_TARGET} of the time one took; writes {@code fleet.json} to {@code outDir}.
     */
    public boolean fleet(List<Integer> sizes, Path outDir, PrintStream out) throws Exception {
        Duration delay = Duration.ofMillis(200);
        long bytesPerSecond = 125_000;
        out.printf("fleet: one upstream, each outpost on its own simulated link (L %d ms, %d kbit/s), a release with a new layer of 1 MB pushed to"
                + " all; the outposts share this JVM and one broker%n", delay.toMillis(), bytesPerSecond * 8 / 1000);
        out.printf("%8s %13s %11s %12s %14s %15s %11s %10s %6s%n", "outposts", "origin bytes", "git fetches", "upstream cpu", "cpu per update",
                "heap per outpost", "first s", "last s", "met");
        List<FleetScenario.Result> results = new ArrayList<>();
        boolean allMet = true;
        for (int outposts : sizes) {
            Path dir = Files.createTempDirectory("outpost-bench-fleet-");
            try {
                FleetScenario.Result result = FleetScenario.run(outposts, delay, bytesPerSecond, 1_000_000, dir, registryBinary);
                FleetScenario.Result one = results.isEmpty() ? result : results.get(0);
                results.add(result);
                boolean met = result.originBytes() <= one.originBytes() && result.cpuPerUpdate() <= FLEET_CPU_TARGET * one.cpuPerUpdate()
                        && result.lastSeconds() <= FLEET_TIME_TARGET * one.lastSeconds();
                allMet &= met;
                out.printf("%8d %13d %11d %11.2fs %13.3fs %12.1f MiB %11.2f %10.2f %6s%n", result.outposts(), result.originBytes(), result.originGitFetches(),
                        result.upstreamCpuSeconds(), result.cpuPerUpdate(), result.heapPerOutpostMiB(), result.firstSeconds(), result.lastSeconds(),
                        met ? "yes" : "NO");
            } finally {
                DurableFiles.deleteTree(dir);
            }
        }
        out.printf("targets: origin bytes no more than the first row's; cpu per update within %.2f x and the last outpost within %.1f x the first row's%n",
                FLEET_CPU_TARGET, FLEET_TIME_TARGET);
        Files.createDirectories(outDir);
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(outDir.resolve("fleet.json").toFile(), results);
        out.println("results: " + outDir.resolve("fleet.json"));
        return allMet;
    }

    /** Goodput / B(1 - p) the datagram link must reach, issue 19's target. */
    static final double DATAGRAM_TARGET = 0.85;

    /**
     * The datagram link over a kernel network path (300 ms each way, 20 Mbit/s, 5 % of packets dropped): a release
     * of 32 MB pushed to the outpost ({@link DatagramLinkRun}); returns true when its goodput reached
     * {@link #DATAGRAM_TARGET}; writes {@code datagram.json} to {@code outDir}. Needs root: elsewhere it says why and
     * counts as missed.
     */
    public boolean datagram(Path outDir, PrintStream out) throws Exception {
        Optional<String> missing = NetworkPath.missing();
        if (missing.isPresent()) {
            out.println("datagram: not run: " + missing.get());
            return false;
        }
        out.println("datagram: a release of 32 MB pushed over UDP to an outpost gateway in a network namespace, through tbf, a packet delayer and"
                + " nftables' loss; goodput = chunk bytes / (time from publish - L), against B(1 - p)");
        out.printf("%6s %12s %6s %12s %9s %14s %8s %5s%n", "L ms", "B bit/s", "loss", "chunk bytes", "seconds", "goodput/B(1-p)", "target", "met");
        Path dir = Files.createTempDirectory("outpost-bench-");
        try {
            DatagramLinkRun.Result result = DatagramLinkRun.run(dir, 300, 2_500_000, 5, 42_000_000);
            boolean met = result.goodputRatio() >= DATAGRAM_TARGET;
            out.printf("%6d %12d %5d%% %12d %9.2f %14.3f %8.2f %5s%n", result.oneWayMillis(), result.bitsPerSecond(), result.lossPercent(),
                    result.chunkBytes(), result.seconds(), result.goodputRatio(), DATAGRAM_TARGET, met ? "yes" : "NO");
            Files.createDirectories(outDir);
            Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(outDir.resolve("datagram.json").toFile(), result);
            return met;
        } finally {
            DurableFiles.deleteTree(dir);
        }
    }

    /**
     * The real link over a kernel network path (300 ms each way): its goodput at 2 and 20 Mbit/s, and the geo
     * update pushed at 2 Mbit/s against L + N/B; returns true when each goodput row sustained at least 0.9 x B and
     * the update came within {@link #UPDATE_TARGET} of its limit, as geo must on the simulated link;
     * writes {@code real-link.json} to {@code outDir}. Needs root: elsewhere it
     * says why and counts as missed.
     */
    public boolean realLink(Path outDir, PrintStream out) throws Exception {
        Optional<String> missing = NetworkPath.missing();
        if (missing.isPresent()) {
            out.println("real-link: not run: " + missing.get());
            return false;
        }
        List<RealLinkScenario> rows = List.of(new RealLinkScenario("geo 2 Mbit/s", 300, 250_000, 8L * 1024 * 1024),
                new RealLinkScenario("geo 20 Mbit/s", 300, 2_500_000, 64L * 1024 * 1024));
        out.println("real-link: chunks from the upstream's broker to an outpost gateway in a network namespace (TLS), through tbf and a packet delayer");
        out.printf("%-14s %6s %12s %10s %9s %12s %12s %8s %5s%n", "path", "L ms", "B bit/s", "bytes", "seconds", "whole/B", "sustained/B", "target",
                "met");
        List<RealLinkScenario.Result> results = new ArrayList<>();
        boolean allMet = true;
        for (RealLinkScenario row : rows) {
            Path dir = Files.createTempDirectory("outpost-bench-");
            try {
                RealLinkScenario.Result result = row.run(dir);
                results.add(result);
                boolean met = result.sustainedRatio() >= result.target();
                allMet &= met;
                out.printf("%-14s %6d %12d %10d %9.2f %12.3f %12.3f %8.2f %5s%n", result.name(), result.oneWayMillis(), result.bitsPerSecond(),
                        result.bytes(), result.seconds(), result.goodputRatio(), result.sustainedRatio(), result.target(), met ? "yes" : "NO");
            } finally {
                DurableFiles.deleteTree(dir);
            }
        }
        RealLinkUpdate update = new RealLinkUpdate(SCENARIOS.get("geo"), 300, 250_000);
        out.println("real-link update: " + update.update().about() + ", pushed to a subscribed outpost gateway in the namespace, against L + N/B");
        out.printf("%-14s %6s %12s %10s %9s %9s %7s %8s %5s%n", "update", "L ms", "B bit/s", "N bytes", "seconds", "limit", "ratio", "target", "met");
        Path dir = Files.createTempDirectory("outpost-bench-");
        RealLinkUpdate.Result converged;
        try {
            converged = update.run(dir, registryBinary);
        } finally {
            DurableFiles.deleteTree(dir);
        }
        boolean updateMet = converged.ratio() <= UPDATE_TARGET;
        out.printf("%-14s %6d %12d %10d %9.2f %9.2f %7.2f %8.2f %5s%n", converged.name(), converged.oneWayMillis(), converged.bitsPerSecond(),
                converged.newBytes(), converged.seconds(), converged.limitSeconds(), converged.ratio(), UPDATE_TARGET, updateMet ? "yes" : "NO");
        Files.createDirectories(outDir);
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(outDir.resolve("real-link.json").toFile(), Map.of("goodput", results, "update", converged));
        out.println("results: " + outDir.resolve("real-link.json"));
        return allMet && updateMet;
    }

    /** Git's bytes on the link against C git's own thin bundles: the targets of a replay and of the first sync. */
    private static final double GIT_UPDATE_TARGET = 1.1;
    private static final double GIT_INITIAL_TARGET = 1.02;

    /**
     * The git-history replay ({@link GitHistoryScenario}): returns true when the updates' answers summed to at
     * most {@link #GIT_UPDATE_TARGET} x C git's thin bundles and the first sync to {@link #GIT_INITIAL_TARGET} x
     * its {@code --all} bundle, and the archives for removable media met the same; writes {@code git-history.json} to {@code outDir}.
     */
    public boolean gitHistory(Path outDir, PrintStream out) throws Exception {
        GitHistoryScenario scenario = new GitHistoryScenario(200, 60, Duration.ofMillis(20));
        out.printf("git-history: a module repository of %d commits (changelog, .tf files and docs edited in place), synced whole, then %d commits"
                + " replayed one by one; link bytes of each answer against C git's bundle of the same range%n", scenario.baseCommits(), scenario.replayed());
        Path dir = Files.createTempDirectory("outpost-bench-");
        GitHistoryScenario.Result result;
        try {
            result = scenario.run(dir, registryBinary, terraform);
        } finally {
            DurableFiles.deleteTree(dir);
        }
        boolean initialMet = result.initialRatio() <= GIT_INITIAL_TARGET;
        boolean updatesMet = result.updateRatio() <= GIT_UPDATE_TARGET;
        GitHistoryScenario.Update worst = result.updates().stream()
                .max(java.util.Comparator.comparingDouble(update -> (double) update.linkBytes() / update.gitBundleBytes())).orElseThrow();
        out.printf("%-26s %12s %14s %7s %8s %5s%n", "sync", "link bytes", "git bundle", "ratio", "target", "met");
        out.printf("%-26s %12d %14d %7.3f %8.2f %5s%n", "first (whole history)", result.initialLinkBytes(), result.initialGitBundleBytes(),
                result.initialRatio(), GIT_INITIAL_TARGET, initialMet ? "yes" : "NO");
        out.printf("%-26s %12d %14d %7.3f %8.2f %5s%n", result.updates().size() + " updates, summed", result.updateLinkBytes(),
                result.updateGitBundleBytes(), result.updateRatio(), GIT_UPDATE_TARGET, updatesMet ? "yes" : "NO");
        out.printf("%-26s %12d %14d %7.3f%n", "  the worst of them", worst.linkBytes(), worst.gitBundleBytes(), (double) worst.linkBytes() / worst.gitBundleBytes());
        boolean wholeArchiveMet = result.wholeArchive().ratio() <= GIT_INITIAL_TARGET;
        boolean behindArchiveMet = result.behindArchive().ratio() <= GIT_UPDATE_TARGET;
        out.printf("%-26s %12d %14d %7.3f %8.2f %5s%n", "archive, whole history", result.wholeArchive().archiveBytes(),
                result.wholeArchive().gitBundleBytes(), result.wholeArchive().ratio(), GIT_INITIAL_TARGET, wholeArchiveMet ? "yes" : "NO");
        out.printf("%-26s %12d %14d %7.3f %8.2f %5s%n", "archive, " + result.updates().size() + " commits behind", result.behindArchive().archiveBytes(),
                result.behindArchive().gitBundleBytes(), result.behindArchive().ratio(), GIT_UPDATE_TARGET, behindArchiveMet ? "yes" : "NO");
        out.printf("  requests for the %d updates: %d bytes upstream (%d per update); archives: the whole file, signed manifest included%n",
                result.updates().size(), result.requestBytes(), result.requestBytes() / result.updates().size());
        Files.createDirectories(outDir);
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(outDir.resolve("git-history.json").toFile(), result);
        out.println("results: " + outDir.resolve("git-history.json"));
        return initialMet && updatesMet && wholeArchiveMet && behindArchiveMet;
    }

    /** The most a request may cost, whatever the outpost holds. */
    private static final long REQUEST_TARGET = 2048;

    /**
     * The holdings rows ({@link HoldingsScenario}): an outpost in service holding 10 and 10,000 blobs asks for an
     * update over 64 kbit/s; returns true when each request stayed within {@link #REQUEST_TARGET} bytes; writes
     * {@code holdings.json} to {@code outDir}.
     */
    public boolean holdings(Path outDir, PrintStream out) throws Exception {
        out.println("holdings: an outpost in service (its ledger upstream in step) asks for a config update; L = 300 ms, B = 64 kbit/s");
        out.printf("%8s %14s %12s %9s %9s %7s %18s %8s %5s%n", "blobs", "request bytes", "answer bytes", "seconds", "limit", "ratio",
                "whole record once", "target", "met");
        List<HoldingsScenario.Result> results = new ArrayList<>();
        boolean met = true;
        for (int blobs : List.of(10, 10_000)) {
            Path dir = Files.createTempDirectory("outpost-bench-");
            try {
                HoldingsScenario.Result result = new HoldingsScenario(blobs, Duration.ofMillis(300), 8_000).run(dir, registryBinary, terraform);
                results.add(result);
                boolean rowMet = result.requestBytes() <= REQUEST_TARGET;
                met &= rowMet;
                out.printf("%8d %14d %12d %9.2f %9.2f %7.2f %18d %8d %5s%n", result.blobs(), result.requestBytes(), result.answerBytes(),
                        result.seconds(), result.limitSeconds(), result.ratio(), result.wholeRecordBytes(), REQUEST_TARGET, rowMet ? "yes" : "NO");
            } finally {
                DurableFiles.deleteTree(dir);
            }
        }
        out.println("  request bytes: everything the outpost sent upstream for the update; whole record: what a request costs once when"
                + " upstream's ledger is lost or the outpost new (headers and gzipped body)");
        Files.createDirectories(outDir);
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(outDir.resolve("holdings.json").toFile(), results);
        out.println("results: " + outDir.resolve("holdings.json"));
        return met;
    }

    /** Mars is 3 to 22 light-minutes away; the mean, scaled down so that a run takes seconds. */
    static final int MARS_SCALE = 500;
    static final Duration MARS_DELAY = Duration.ofMinutes(12).plusSeconds(30).dividedBy(MARS_SCALE);
    /** The update scenarios, by name. */
    public static final Map<String, ConvergenceScenario> SCENARIOS = scenarios();

    private static Map<String, ConvergenceScenario> scenarios() {
        long geoBandwidth = 250_000;
        long layer = 2 * 1024 * 1024;
        Duration geo = Duration.ofMillis(300);
        Map<String, ConvergenceScenario> scenarios = new LinkedHashMap<>();
        scenarios.put("geo", new ConvergenceScenario("geo", "geostationary satellite: L = 300 ms, B = 2 Mbit/s", geo, geoBandwidth,
                LinkFaults.NONE, null, 4, layer, 1));
        scenarios.put("mars-scaled", new ConvergenceScenario("mars-scaled", "Mars: mean one-way 12.5 min scaled by 1/" + MARS_SCALE
                + " to L = 1.5 s, B = 2 Mbit/s", MARS_DELAY, geoBandwidth, LinkFaults.NONE, null, 4, layer, 1));
        scenarios.put("lossy", new ConvergenceScenario("lossy", "geo with 5 % of messages lost", geo, geoBandwidth,
                new LinkFaults(0.05, 0, 0, 0), null, 4, layer, 1));
        for (int percent : List.of(5, 20)) {
            scenarios.put("mars-lossy-" + percent, new ConvergenceScenario("mars-lossy-" + percent, "mars-scaled (L = 1.5 s) with " + percent
                    + " % of messages lost", MARS_DELAY, geoBandwidth, new LinkFaults(percent / 100.0, 0, 0, 0), null, 4, layer, 1));
        }
        scenarios.put("outage", new ConvergenceScenario("outage", "geo; the link goes down for 8 s mid-update", geo, geoBandwidth,
                LinkFaults.NONE, Duration.ofSeconds(8), 4, layer, 1));
        scenarios.put("dedup", new ConvergenceScenario("dedup", "geo; 8 workers ask for the image at once (256 KiB layers)", geo, geoBandwidth,
                LinkFaults.NONE, null, 4, 256 * 1024, 8));
        return scenarios;
    }

    /** The update scenario {@code name}, with {@code layerSize} bytes per layer (null for its own). */
    public static ConvergenceScenario scenario(String name, Long layerSize) {
        ConvergenceScenario scenario = SCENARIOS.get(name);
        if (scenario == null) {
            throw new IllegalArgumentException("unknown scenario '" + name + "': the scenarios are " + String.join(", ", SCENARIOS.keySet())
                    + ", goodput, git-history, holdings, real-link, datagram, or custom (--delay, --bandwidth, --loss, --outage)");
        }
        return layerSize == null ? scenario : scenario.withLayerSize(layerSize);
    }

    /**
     * The update of the scenarios on an operator's own link: one-way {@code delay}, {@code bytesPerSecond}, a share
     * of messages lost, and an outage (or null) two round trips in.
     */
    public static ConvergenceScenario custom(Duration delay, long bytesPerSecond, double loss, Duration outage, Long layerSize) {
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("--bandwidth must be a rate (e.g. 512kbit) for a bench: the limit an update is measured against is 2L + N/B");
        }
        String about = "your link: L = " + delay.toMillis() + " ms, B = " + bytesPerSecond * 8 / 1000 + " kbit/s, " + Math.round(loss * 100)
                + " % of messages lost" + (outage == null ? "" : ", down " + outage.toSeconds() + " s mid-update");
        return new ConvergenceScenario("custom", about, delay, bytesPerSecond, new LinkFaults(loss, 0, 0, 0), outage, 4,
                layerSize == null ? 2 * 1024 * 1024 : layerSize, 1);
    }

    /**
     * Runs update scenarios, each in Outpost's mode and, with {@code seedBaseline}, the seed design's;
     * prints a table, writes {@code bench.json} and {@code bench.svg} to {@code out}. Returns true when
     * the targets were met: for geo, Outpost within 1.3 x of 2L + N/B and at least 3 x fewer link bytes
     * than the seed design.
     */
    public boolean convergence(List<ConvergenceScenario> scenarios, boolean seedBaseline, Path out, PrintStream print) throws Exception {
        ConvergenceScenario small = scenarios.get(0).withLayerSize(64 * 1024);
        warmUp(print, dir -> small.run(ConvergenceScenario.Mode.OUTPOST, dir, registryBinary, terraform));
        print.println("One update: a config commit and a new version of a 4-layer image with one layer changed; the outpost holds the previous one.");
        print.println("Time from published at the origin to held at the outpost, against the physical limit: 2L + N/(B(1 - p)) pulled"
                + " (outpost), L + N/(B(1 - p)) pushed (push), p the share of messages the link loses, plus the outage when the link goes down"
                + " before that.");
        print.printf("%-12s %-8s %7s %10s %10s %9s %9s %7s %11s %7s%n", "scenario", "mode", "L ms", "B bit/s", "N bytes", "seconds", "limit",
                "ratio", "link bytes", "link/N");
        List<ConvergenceScenario.Result> results = new ArrayList<>();
        boolean met = true;
        for (ConvergenceScenario scenario : scenarios) {
            List<ConvergenceScenario.Mode> modes = new ArrayList<>(List.of(ConvergenceScenario.Mode.OUTPOST, ConvergenceScenario.Mode.PUSH));
            if (seedBaseline) {
                modes.add(ConvergenceScenario.Mode.SEED);
            }
            ConvergenceScenario.Result outpost = null;
            for (ConvergenceScenario.Mode mode : modes) {
                Path dir = Files.createTempDirectory("outpost-bench-");
                try {
                    ConvergenceScenario.Result result = scenario.run(mode, dir, registryBinary, terraform);
                    results.add(result);
                    print.printf("%-12s %-8s %7d %10d %10d %9.2f %9.2f %7.2f %11d %7.2f%n", result.scenario(), mode.name().toLowerCase(Locale.ROOT),
                            result.delayMillis(), result.bytesPerSecond() * 8, result.newBytes(), result.seconds(), result.limitSeconds(),
                            result.ratio(), result.linkBytes(), (double) result.linkBytes() / result.newBytes());
                    if (mode == ConvergenceScenario.Mode.OUTPOST) {
                        outpost = result;
                    } else if (mode == ConvergenceScenario.Mode.SEED && outpost != null) {
                        met &= compare(outpost, result, print);
                    }
                } finally {
                    DurableFiles.deleteTree(dir);
                }
            }
            if (!seedBaseline && scenario.name().equals("geo")) {
                met &= outpost.ratio() <= UPDATE_TARGET;
            }
            Double lossTarget = LOSS_TARGETS.get(scenario.name());
            if (lossTarget != null) {
                boolean lossMet = outpost.ratio() <= lossTarget;
                print.printf(Locale.ROOT, "%-12s target: pulled within %.2f x 2L + N/(B(1 - p)): %s%n", "", lossTarget, lossMet ? "met" : "MISSED");
                met &= lossMet;
            }
        }
        scenarios.forEach(scenario -> print.println("  " + scenario.name() + ": " + scenario.about()));
        Files.createDirectories(out);
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(out.resolve("bench.json").toFile(), results);
        Files.writeString(out.resolve("bench.svg"), BenchChart.svg(results));
        print.println("results: " + out.resolve("bench.json") + ", chart: " + out.resolve("bench.svg"));
        return met;
    }

    /** Prints how the seed design compares; for geo, whether the targets are met. */
    private static boolean compare(ConvergenceScenario.Result outpost, ConvergenceScenario.Result seed, PrintStream print) {
        double bytes = (double) seed.linkBytes() / outpost.linkBytes();
        double time = seed.seconds() / outpost.seconds();
        boolean geo = outpost.scenario().equals("geo");
        boolean met = !geo || (outpost.ratio() <= UPDATE_TARGET && bytes >= 3);
        print.printf("%-12s seed/outpost: %.2f x the time, %.2f x the link bytes%s%n", "", time, bytes,
                geo ? String.format(Locale.ROOT, " (targets: ratio <= 1.3 %s, bytes >= 3 x %s)", outpost.ratio() <= UPDATE_TARGET ? "met" : "MISSED",
                        bytes >= 3 ? "met" : "MISSED") : "");
        return met;
    }

    /** A measurement in a scratch directory. */
    @FunctionalInterface
    private interface ScratchRun {
        void run(Path dir) throws Exception;
    }

    /** One unreported run first, so the table measures Outpost rather than a cold JVM. */
    private static void warmUp(PrintStream out, ScratchRun run) throws Exception {
        out.println("(warming up the JVM with one unreported run)");
        Path dir = Files.createTempDirectory("outpost-bench-");
        try {
            run.run(dir);
        } finally {
            DurableFiles.deleteTree(dir);
        }
    }
}
