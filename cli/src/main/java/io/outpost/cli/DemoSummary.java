package io.outpost.cli;

import io.outpost.content.ImageRef;
import io.outpost.events.Sizes;
import io.outpost.iacworker.RunOutcome;
import io.outpost.iacworker.RunRecord;
import io.outpost.link.LinkDirection;
import io.outpost.link.LinkTotal;
import io.outpost.registry.RegistryClient;
import io.outpost.registry.RegistryNamespace;
import io.outpost.txrxsim.origin.Release;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/** What a demo session did, measured from the run history and the link's accounting. */
record DemoSummary(Duration ran, Release origin, List<RunRecord> runs, Map<String, Map<String, LinkTotal>> link, String images, String container) {

    /**
     * @param registries null when the demo ran without images
     * @param tenant whose namespace the worker ran in: its images are under that prefix at the outpost, not at the origin
     * @param container what ran the releases' images, or null for nothing
     */
    static DemoSummary of(OneMachine.Running running, Instant started, Instant now, OneMachine.Registries registries, String tenant, DemoContainer container) {
        List<RunRecord> runs = running.runner().history().last(10_000).stream()
                .filter(run -> !run.startedAt().isBefore(started)).toList();
        return new DemoSummary(Duration.between(started, now), running.origin().current(), runs, running.link().totals(),
                registries == null ? null : compareImages(runs, registries, RegistryNamespace.of(tenant, List.of())),
                container == null ? null : running(runs, container));
    }

    /** The page the running release's container serves, beside the release the last converged run applied. */
    private static String running(List<RunRecord> runs, DemoContainer container) {
        return runs.stream().filter(run -> run.outcome() == RunOutcome.CONVERGED).reduce((first, second) -> second)
                .map(run -> "release " + run.outputs().get("release") + " applied; its container (" + container.engine() + ") at " + container.page()
                        + " answers: " + container.fetchPage())
                .orElse("no release converged this session, so no container was started");
    }

    /** Whether the image of the last converged release is byte-identical at the outpost and the origin. */
    private static String compareImages(List<RunRecord> runs, OneMachine.Registries registries, RegistryNamespace namespace) {
        return runs.stream().filter(run -> run.outcome() == RunOutcome.CONVERGED && run.outputs().containsKey("image"))
                .reduce((first, second) -> second)
                .map(run -> {
                    String image = run.outputs().get("image");
                    ImageRef ref = ImageRef.parse(image);
                    String atTheOrigin = ref.repository().substring(namespace.prefix().length());
                    byte[] atOutpost = new RegistryClient(registries.outpost()).manifest(ref.repository(), ref.reference()).bytes();
                    byte[] atOrigin = new RegistryClient(registries.origin()).manifest(atTheOrigin, ref.reference()).bytes();
                    return "image of release " + run.outputs().get("release") + " " + ref.repository() + "@" + ref.digest().substring(0, 19)
                            + (Arrays.equals(atOutpost, atOrigin) ? ": identical manifest at the outpost and the origin" : ": DIFFERS from the origin");
                }).orElse("no release converged with an image this session");
    }

    long convergedRuns() {
        return count(RunOutcome.CONVERGED);
    }

    void print(PrintStream out) {
        out.println();
        out.println("Demo summary after " + Sizes.duration(ran) + ":");
        out.println("  origin at release " + origin.number() + " (commit " + origin.shortCommit() + ")");
        List<String> releases = runs.stream().filter(run -> run.outcome() == RunOutcome.CONVERGED && run.applied())
                .map(run -> run.outputs().get("release")).filter(Objects::nonNull).distinct().toList();
        out.println("  releases converged at the outpost this session: " + releases.size()
                + (releases.isEmpty() ? "" : " (" + String.join(", ", releases) + ")"));
        if (images != null) {
            out.println("  " + images);
        }
        if (container != null) {
            out.println("  " + container);
        }
        out.println("  runs: " + runs.size() + " (converged " + convergedRuns() + ", pending " + count(RunOutcome.PENDING)
                + ", failed " + count(RunOutcome.FAILED) + ")");
        for (LinkDirection direction : LinkDirection.values()) {
            Map<String, LinkTotal> byType = link.getOrDefault(direction.tag(), Map.of());
            long bytes = byType.values().stream().mapToLong(LinkTotal::bytes).sum();
            out.println("  link " + direction.tag() + ": " + Sizes.bytes(bytes) + " in total ("
                    + byType.entrySet().stream().map(e -> e.getKey() + " " + e.getValue().messages() + " msgs " + Sizes.bytes(e.getValue().bytes()))
                    .collect(Collectors.joining(", ")) + ")");
        }
    }

    private long count(RunOutcome outcome) {
        return runs.stream().filter(run -> run.outcome() == outcome).count();
    }
}
