package io.outpost.cli.bench;

import io.outpost.cli.OneMachine;
import io.outpost.content.BillOfMaterials;
import io.outpost.content.Tenants;
import io.outpost.data.DataDirectory;
import io.outpost.gateway.outpost.image.BlobInventory;
import io.outpost.link.OutageSchedule;
import io.outpost.protocol.ImagePull;
import io.outpost.protocol.Ready;
import io.outpost.protocol.SyncMode;
import io.outpost.registry.Manifest;
import io.outpost.txrxsim.link.LinkFaults;
import io.outpost.txrxsim.link.LinkSettings;
import io.outpost.txrxsim.origin.DemoOrigin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * One update reaching an outpost that holds the previous one: a new config commit and a new version of
 * a multi-layer image in which one layer changed. Measured from the moment the origin has published to
 * the moment the outpost holds the commit and the image, against the physical limit 2L + N/(B(1 - p)) (one round
 * trip plus the new bytes at the rate the link delivers when it loses a share p of what it carries).
 *
 * <p>In {@link Mode#PUSH} the outpost has subscribed, and upstream sends the update unasked once it sees
 * the origin move (it looks every 250 ms): the limit is then L + N/B.
 *
 * <p>In {@link Mode#OUTPOST} the commit names the image in its {@code outpost.yaml}, so upstream sends
 * the image's new layer ahead of the bundle and the update takes one round trip. In {@link Mode#SEED}
 * the same update goes as the seed design moved it: a round trip for git, then the whole image, since
 * the seed design sent whole-image tarballs (the outpost holds none of its layers).
 *
 * <p>With several {@code workers}, each asks for the image at once; Outpost's gateway coalesces them into
 * one request. The seed design had no such thing: each worker's pull moved the whole image, so its row
 * is that many whole-image updates, one after another, each measured.
 *
 * @param about what the scenario stands for, printed under the table
 * @param outage when set, the link goes down this long, starting two round trips into the update; the limit then includes it
 */
public record ConvergenceScenario(String name, String about, Duration delay, long bytesPerSecond, LinkFaults faults, Duration outage,
                           int layers, long layerSize, int workers) {
    static final String REPOSITORY = "demo/app";
    /** When the outage begins, in round trips after the update is published. */
    private static final int OUTAGE_AFTER_ROUND_TRIPS = 2;

    /** OUTPOST pulls (one round trip); PUSH subscribes and upstream sends the update unasked; SEED as the seed design. */
    enum Mode { OUTPOST, PUSH, SEED }

    /** One measured row. */
    record Result(String scenario, Mode mode, long delayMillis, long bytesPerSecond, long newBytes, double seconds, double limitSeconds,
                  double ratio, long linkBytes, long lostBytes) {
    }

    ConvergenceScenario withLayerSize(long size) {
        return new ConvergenceScenario(name, about, delay, bytesPerSecond, faults, outage, layers, size, workers);
    }

    Result run(Mode mode, Path dir, Path registryBinary, Path terraform) throws Exception {
        if (mode == Mode.SEED && workers > 1) {
            ConvergenceScenario one = new ConvergenceScenario(name, about, delay, bytesPerSecond, faults, outage, layers, layerSize, 1);
            Result total = null;
            for (int worker = 1; worker <= workers; worker++) {
                Result each = one.run(mode, Files.createDirectories(dir.resolve("worker-" + worker)), registryBinary, terraform);
                total = total == null ? each : new Result(name, mode, each.delayMillis(), each.bytesPerSecond(), each.newBytes(),
                        total.seconds() + each.seconds(), each.limitSeconds(), (total.seconds() + each.seconds()) / each.limitSeconds(),
                        total.linkBytes() + each.linkBytes(), total.lostBytes() + each.lostBytes());
            }
            return total;
        }
        return runOnce(mode, dir, registryBinary, terraform);
    }

    private Result runOnce(Mode mode, Path dir, Path registryBinary, Path terraform) throws Exception {
        // The outage is placed on the clock in advance: the update starts at a planned instant.
        Instant updateAt = Instant.now().plusSeconds(12);
        OutageSchedule windows = outage == null ? OutageSchedule.alwaysUp() : OutageSchedule.parse(
                "down " + updateAt.plus(delay.multipliedBy(2L * OUTAGE_AFTER_ROUND_TRIPS)) + "+" + outage.toMillis() + "ms", ConvergenceScenario::millis);
        LinkSettings link = new LinkSettings(delay, Duration.ZERO, bytesPerSecond, faults, windows, 11L);
        Path scratch = Files.createDirectories(dir.resolve("scratch"));
        AtomicReference<Manifest> previous = new AtomicReference<>();
        AtomicReference<Manifest> next = new AtomicReference<>();
        try (BenchLoop loop = BenchLoop.start(dir, link, registryBinary, terraform, mode == Mode.PUSH ? SyncMode.PUSH : SyncMode.PULL,
                (origin, outpost) -> {
            previous.set(SyntheticImage.push(origin, REPOSITORY, "v1", seeds(0), layerSize, scratch));
            next.set(SyntheticImage.push(origin, REPOSITORY, "v2", seeds(1), layerSize, scratch));
            if (mode != Mode.SEED) {
                SyntheticImage.copy(origin, outpost, new BlobInventory(new DataDirectory(dir).outpost().namespace(Tenants.OUTPOST).registryInventory()), REPOSITORY, "v1", scratch);
            }
            holdReleaseOneAtTheOutpost(dir);
        })) {
            // the bench's commits pin no demo image of their own: only the scenario's image is new
            DemoOrigin origin = new DemoOrigin(loop.running().origin().dir(), null, Clock.systemUTC());
            if (mode == Mode.PUSH) {
                awaitSubscription(dir, OneMachine.OUTPOST_NAME);
            }
            if (outage != null) {
                Thread.sleep(Math.max(0, Duration.between(Instant.now(), updateAt).toMillis()));
            }
            String commit = origin.publishNext(mode == Mode.SEED ? Map.of() : Map.of(BillOfMaterials.FILE, "images:\n  - " + REPOSITORY + ":v2\n")).commit();
            long newBytes = SyntheticImage.newBytes(next.get(), previous.get());
            long linkBefore = loop.linkBytes();
            long lostBefore = loop.lostBytes();
            long start = System.nanoTime();
            Duration atMost = Duration.ofMinutes(10);
            if (mode == Mode.PUSH) {
                // the bundle moves the ref only once the image is local: the ref moving is the update arriving
                awaitLocalHead(dir, commit, atMost);
            } else {
                loop.untilReady("the config", () -> loop.running().gateway().sync(OneMachine.CONFIG_REPO, DemoOrigin.BRANCH), atMost);
            }
            loop.untilReady("the image", () -> everyWorkerPulls(loop), atMost);
            double seconds = (System.nanoTime() - start) / 1e9;
            double limit = limitSeconds(mode, newBytes);
            return new Result(name, mode, delay.toMillis(), bytesPerSecond, newBytes, seconds, limit, seconds / limit,
                    loop.linkBytes() - linkBefore, loop.lostBytes() - lostBefore);
        }
    }

    /**
     * The physical limit of the update: a round trip pulled (half of one pushed) plus the new bytes at the rate the
     * link delivers (its rate less the share it loses), plus the outage when it begins before that much time has passed
     * (the link carries nothing while down).
     */
    double limitSeconds(Mode mode, long newBytes) {
        double limit = (mode == Mode.PUSH ? 1 : 2) * delay.toMillis() / 1000.0 + newBytes / (bytesPerSecond * (1 - faults.loss()));
        boolean outageWithin = outage != null && OUTAGE_AFTER_ROUND_TRIPS * 2 * delay.toMillis() / 1000.0 < limit;
        return outageWithin ? limit + outage.toMillis() / 1000.0 : limit;
    }

    /** Each worker asks the gateway for the image at once; done when all have their answer. */
    private CompletableFuture<Ready> everyWorkerPulls(BenchLoop loop) {
        List<CompletableFuture<Ready>> pulls = new ArrayList<>();
        for (int worker = 0; worker < workers; worker++) {
            pulls.add(loop.running().gateway().pull(REPOSITORY, "v2", ImagePull.DEFAULT_PLATFORM));
        }
        return CompletableFuture.allOf(pulls.toArray(CompletableFuture[]::new)).thenApply(all -> pulls.stream().map(CompletableFuture::join)
                .filter(ready -> ready.status() == Ready.Status.FAILED).findFirst().orElse(pulls.get(0).join()));
    }

    /** Push mode: upstream must hold the outpost's subscription before the update is published. */
    static void awaitSubscription(Path dir, String outpost) throws InterruptedException {
        Path subscription = new DataDirectory(dir).upstream().outpost(outpost).subscriptions().resolve(OneMachine.CONFIG_REPO + ".json");
        long deadline = System.currentTimeMillis() + 60_000;
        while (!Files.exists(subscription)) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the outpost's subscription did not reach upstream");
            }
            Thread.sleep(20);
        }
    }

    /** Looks at the outpost's local remote every 20 ms (the bench's resolution) until {@code commit} is its head. */
    static void awaitLocalHead(Path dir, String commit, Duration atMost) throws Exception {
        long deadline = System.currentTimeMillis() + atMost.toMillis();
        try (Repository local = new FileRepositoryBuilder().setGitDir(new DataDirectory(dir).outpost().namespace(Tenants.OUTPOST).localRemote(OneMachine.CONFIG_REPO).toFile())
                .setBare().build()) {
            while (true) {
                Ref head = local.getRefDatabase().exactRef(DemoOrigin.BRANCH);
                if (head != null && head.getObjectId().name().equals(commit)) {
                    return;
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("the pushed update did not arrive within " + atMost.toSeconds() + " s");
                }
                Thread.sleep(20);
            }
        }
    }

    /** Layers of the image: v1 uses seeds 1..k; v2 changes the last. */
    List<Long> seeds(int version) {
        List<Long> seeds = new ArrayList<>(LongStream.rangeClosed(1, layers).boxed().toList());
        seeds.set(layers - 1, 1000L + version);
        return seeds;
    }

    /** The outpost already holds the config's first release: its local remote is a copy of the origin's. */
    static void holdReleaseOneAtTheOutpost(Path dir) throws Exception {
        Path originRepo = new DataDirectory(dir).originGit().resolve(OneMachine.CONFIG_REPO + ".git");
        new DemoOrigin(originRepo, null, Clock.systemUTC()).current();
        Git.cloneRepository().setBare(true).setURI(originRepo.toUri().toString())
                .setDirectory(new DataDirectory(dir).outpost().namespace(Tenants.OUTPOST).localRemote(OneMachine.CONFIG_REPO).toFile()).call().close();
    }

    private static Duration millis(String text) {
        return Duration.ofMillis(Long.parseLong(text.replace("ms", "")));
    }
}
