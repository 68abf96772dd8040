package io.outpost.gateway.upstream.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outpost.content.RefPatterns;
import io.outpost.gateway.outpost.git.BundleApplied;
import io.outpost.gateway.outpost.git.BundleRejectedException;
import io.outpost.gateway.outpost.git.LocalRemotes;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.BundleWriter;
import org.eclipse.jgit.transport.URIish;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Upstream mirrors write thin packs of only what the outpost lacks; the outpost applies them fast-forward only. */
class GitSyncPlanningTest {
    private static final String MAIN = "refs/heads/main";

    @TempDir
    Path dir;
    private OriginRepo origin;
    private OriginMirrors mirrors;
    private LocalRemotes local;

    @BeforeEach
    void repos() throws Exception {
        origin = new OriginRepo(dir.resolve("origin"));
        mirrors = new OriginMirrors(dir.resolve("mirrors"));
        local = new LocalRemotes(dir.resolve("outpost-git"), Clock.systemUTC());
    }

    @Test
    void aBundleSinceTheOutpostsTipHoldsOnlyTheNewCommitAndFastForwards() throws Exception {
        for (int i = 0; i < 50; i++) {
            origin.commit();
        }
        Map<String, String> full = sync();
        assertThat(local.tips("infra", List.of(MAIN))).isEqualTo(full);
        long fullBundle = Files.size(dir.resolve("bundle"));

        String next = origin.commit();
        Map<String, String> after = sync();

        assertThat(after).containsEntry(MAIN, next);
        assertThat(local.tips("infra", List.of(MAIN))).containsEntry(MAIN, next);
        assertThat(Files.size(dir.resolve("bundle"))).isLessThan(fullBundle / 5);
    }

    @Test
    void nothingNewMeansNoBundle() throws Exception {
        origin.commit();
        Map<String, String> tips = sync();
        assertThat(mirrors.writePack("infra", tips, tips, dir.resolve("none"))).isEmpty();
        assertThat(dir.resolve("none")).doesNotExist();
    }

    @Test
    void aForcedUpstreamUpdateIsKeptAsideAndTheLocalBranchDoesNotMove() throws Exception {
        origin.commit();
        String kept = origin.commit();
        sync();
        String rewritten = origin.rewriteLast();

        mirrors.refresh("infra", new URIish(origin.dir().toUri().toURL()));
        Map<String, String> tips = mirrors.tips("infra", List.of(MAIN), RefPatterns.ALL);
        mirrors.writePack("infra", tips, Map.of(), dir.resolve("bundle"));
        BundleApplied applied = local.apply("infra", dir.resolve("bundle"), tips, "");

        assertThat(tips).containsEntry(MAIN, rewritten);
        assertThat(applied.forced()).containsExactly(MAIN);
        assertThat(local.tips("infra", List.of(MAIN))).containsEntry(MAIN, kept);
    }

    @Test
    void aBundleThatDoesNotEndWhereItsAnswerSaysIsRejectedAndMovesNothing() throws Exception {
        origin.commit();
        Map<String, String> first = sync();
        origin.commit();
        bundleSince(first);

        assertThatThrownBy(() -> local.apply("infra", dir.resolve("bundle"), Map.of(MAIN, "f".repeat(40)), ""))
                .isInstanceOf(BundleRejectedException.class).hasMessageContaining("does not carry");
        assertThat(local.tips("infra", List.of(MAIN))).isEqualTo(first);
    }

    @Test
    void aDamagedBundleIsRejectedAndMovesNothing() throws Exception {
        origin.commit();
        Map<String, String> first = sync();
        origin.commit();
        Map<String, String> tips = bundleSince(first);
        byte[] bytes = Files.readAllBytes(dir.resolve("bundle"));
        Files.write(dir.resolve("bundle"), java.util.Arrays.copyOf(bytes, bytes.length - 30));

        assertThatThrownBy(() -> local.apply("infra", dir.resolve("bundle"), tips, "")).isInstanceOf(BundleRejectedException.class);
        assertThat(local.tips("infra", List.of(MAIN))).isEqualTo(first);
    }

    @Test
    void aBundleNeedingCommitsTheOutpostLacksIsRejected() throws Exception {
        origin.commit();
        String base = origin.commit();
        origin.commit();
        mirrors.refresh("infra", new URIish(origin.dir().toUri().toURL()));
        Map<String, String> tips = mirrors.tips("infra", List.of(MAIN), RefPatterns.ALL);
        mirrors.writePack("infra", tips, Map.of(MAIN, base), dir.resolve("bundle"));

        assertThatThrownBy(() -> local.apply("infra", dir.resolve("bundle"), tips, ""))
                .isInstanceOf(BundleRejectedException.class).hasMessageContaining("lacks");
        assertThat(local.tips("infra", List.of(MAIN))).isEmpty();
    }

    @Test
    void aGitBundleAsOlderUpstreamsSentItStillApplies() throws Exception {
        String commit = origin.commit();
        mirrors.refresh("infra", new URIish(origin.dir().toUri().toURL()));
        mirrors.writeBundle("infra", Map.of(MAIN, commit), dir.resolve("bundle"));

        assertThat(local.apply("infra", dir.resolve("bundle"), Map.of(MAIN, commit), "").moved()).containsExactly(MAIN);
        assertThat(local.tips("infra", List.of(MAIN))).containsEntry(MAIN, commit);
    }

    @Test
    void aBundleAdvertisingRefsOutsideBranchesAndTagsIsRejectedAndMovesNothing() throws Exception {
        String commit = origin.commit();
        try (Repository repository = new FileRepositoryBuilder().setGitDir(origin.dir().resolve(".git").toFile()).build();
             OutputStream out = Files.newOutputStream(dir.resolve("bundle"))) {
            BundleWriter writer = new BundleWriter(repository);
            writer.include("refs/notes/commits", ObjectId.fromString(commit));
            writer.include(MAIN, ObjectId.fromString(commit));
            writer.writeBundle(NullProgressMonitor.INSTANCE, out);
        }

        assertThatThrownBy(() -> local.apply("infra", dir.resolve("bundle"), Map.of(MAIN, commit), ""))
                .isInstanceOf(BundleRejectedException.class).hasMessageContaining("refs/notes/commits");
        assertThat(local.tips("infra", List.of(MAIN))).isEmpty();
    }

    @Test
    void bundlesWithBytesChangedDroppedOrMadeUpAreRejectedAndNeverMoveABranchAnywhereElse() throws Exception {
        origin.commit();
        Map<String, String> first = sync();
        origin.commit();
        Map<String, String> tips = bundleSince(first);
        byte[] intact = Files.readAllBytes(dir.resolve("bundle"));
        Random random = new Random(20261123L);
        int rejected = 0;
        for (int i = 0; i < 60; i++) {
            byte[] hostile = switch (i % 3) {
                case 0 -> flip(intact, random);
                case 1 -> java.util.Arrays.copyOf(intact, random.nextInt(intact.length));
                default -> randomBytes(random, random.nextInt(2048));
            };
            Files.write(dir.resolve("hostile"), hostile);
            // each attempt on a copy of the outpost's repo as it was: an accepted bundle must not hide the next one
            LocalRemotes attempt = new LocalRemotes(copy(dir.resolve("outpost-git"), dir.resolve("attempt-" + i)), Clock.systemUTC());
            try {
                attempt.apply("infra", dir.resolve("hostile"), tips, "");
            } catch (BundleRejectedException expected) {
                rejected++;
            }
            assertThat(attempt.tips("infra", List.of(MAIN))).as("attempt %d", i).isIn(first, tips);
        }
        System.out.printf("%d of 60 damaged or made-up bundles rejected%n", rejected);
        // all, in every run so far; a flipped byte git does not read (none found yet) would still move nothing else
        assertThat(rejected).as("damaged and made-up bundles rejected").isGreaterThanOrEqualTo(58);
        assertThat(local.apply("infra", dir.resolve("bundle"), tips, "").tips()).as("the intact bundle still applies").isEqualTo(tips);
    }

    private static Path copy(Path from, Path to) throws java.io.IOException {
        try (java.util.stream.Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
        return to;
    }

    private static byte[] flip(byte[] bytes, Random random) {
        byte[] flipped = bytes.clone();
        flipped[random.nextInt(flipped.length)] ^= (byte) (1 + random.nextInt(255));
        return flipped;
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Refreshes the mirror and writes a bundle of its tips since {@code haves}; returns the tips. */
    private Map<String, String> bundleSince(Map<String, String> haves) throws Exception {
        mirrors.refresh("infra", new URIish(origin.dir().toUri().toURL()));
        Map<String, String> tips = mirrors.tips("infra", List.of(MAIN), RefPatterns.ALL);
        mirrors.writePack("infra", tips, haves, dir.resolve("bundle"));
        return tips;
    }

    /** One sync as the gateways do it: refresh the mirror, bundle since the local tips, apply. */
    private Map<String, String> sync() throws Exception {
        mirrors.refresh("infra", new URIish(origin.dir().toUri().toURL()));
        Map<String, String> tips = mirrors.tips("infra", List.of(MAIN), RefPatterns.ALL);
        Optional<Map<String, String>> changed = mirrors.writePack("infra", tips, local.tips("infra", List.of(MAIN)), dir.resolve("bundle"));
        changed.ifPresent(c -> local.apply("infra", dir.resolve("bundle"), c, ""));
        return tips;
    }
}
