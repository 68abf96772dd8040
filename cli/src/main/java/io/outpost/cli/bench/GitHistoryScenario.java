package io.outpost.cli.bench;

import io.outpost.cli.OneMachine;
import io.outpost.content.RefPatterns;
import io.outpost.content.Tenants;
import io.outpost.data.DataDirectory;
import io.outpost.gateway.media.Inventory;
import io.outpost.gateway.outpost.OutpostInventory;
import io.outpost.link.LinkDirection;
import io.outpost.link.LinkTotal;
import io.outpost.protocol.MessageTypes;
import io.outpost.txrxsim.link.LinkFaults;
import io.outpost.txrxsim.link.LinkSettings;
import io.outpost.txrxsim.origin.DemoOrigin;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.RefSpec;

/**
 * A repository with real history ({@link ModuleHistory}) replayed commit by commit through the loop: the
 * outpost first syncs the whole base history, then each new commit the origin publishes. What crossed the
 * link to the outpost for each (the answer's messages: bundle, or transfer start and chunks) is set against C
 * git's own bundle of the same range ({@code git bundle create - main ^OLD}; {@code --all} for the first). So are
 * the archives for removable media of an outpost that holds none of the repo, and of one as far behind as the replay.
 */
record GitHistoryScenario(int baseCommits, int replayed, Duration delay) {
    /** Message types that carry a git answer to the outpost; the scenario's commits need no image, provider or module. */
    private static final Set<String> ANSWER = Set.of(MessageTypes.GIT_BUNDLE, MessageTypes.TRANSFER_START, MessageTypes.CHUNK, MessageTypes.REPAIR_CHUNK);
    private static final String MAIN = "main";

    /** One commit crossing: its answer's link bytes, C git's bundle of it, and the request that asked. */
    record Update(String commit, String subject, long linkBytes, long gitBundleBytes, long requestBytes) {
    }

    /** An archive for removable media beside C git's bundle of the same range. */
    record Archive(long archiveBytes, long gitBundleBytes, double ratio) {
        Archive(long archiveBytes, long gitBundleBytes) {
            this(archiveBytes, gitBundleBytes, (double) archiveBytes / gitBundleBytes);
        }
    }

    /**
     * @param wholeArchive the archive for an outpost that holds none of the repo (against {@code git bundle --all})
     * @param behindArchive the archive for an outpost as far behind as the replay (against C git's bundle of the whole range)
     */
    record Result(long initialLinkBytes, long initialGitBundleBytes, double initialRatio, long updateLinkBytes, long updateGitBundleBytes,
                  double updateRatio, long requestBytes, List<Update> updates, Archive wholeArchive, Archive behindArchive) {
    }

    Result run(Path dir, Path registryBinary, Path terraform) throws Exception {
        Path work = dir.resolve("history");
        Path originRepo = new DataDirectory(dir).originGit().resolve(OneMachine.CONFIG_REPO + ".git");
        ModuleHistory history = new ModuleHistory(20261201L);
        LinkSettings link = new LinkSettings(delay, Duration.ZERO, 0, LinkFaults.NONE, io.outpost.link.OutageSchedule.alwaysUp(), 1L);
        try (BenchLoop loop = BenchLoop.start(dir, link, registryBinary, terraform, (origin, outpost) -> {
            new DemoOrigin(originRepo, null, Clock.systemUTC()).current();
            Git.cloneRepository().setURI(originRepo.toUri().toString()).setDirectory(work.toFile()).call().close();
            history.commit(work, baseCommits);
            publish(work);
        })) {
            long initialGit = gitBundle(originRepo, "--all");
            Crossed initial = sync(loop);
            // what the outpost holds now, besides the repo, so an archive carries the repo alone
            Inventory held = new OutpostInventory(OneMachine.OUTPOST_NAME, new DataDirectory(dir).outpost(), Clock.systemUTC())
                    .take(Tenants.OUTPOST, List.of(), List.of(RefPatterns.DEFAULT_BRANCH));
            Archive whole = new Archive(archive(loop, withTips(held, Map.of()), dir.resolve("whole.outpost")), initialGit);
            String base = held.repos().get(0).tips().get(DemoOrigin.BRANCH);
            List<Update> updates = new ArrayList<>();
            for (int i = 0; i < replayed; i++) {
                RevCommit commit = history.commit(work, 1).get(0);
                publish(work);
                long git = gitBundle(work, MAIN, "^" + commit.getParent(0).name());
                Crossed crossed = sync(loop);
                updates.add(new Update(commit.name(), commit.getShortMessage(), crossed.answer(), git, crossed.request()));
            }
            Archive behind = new Archive(archive(loop, held, dir.resolve("behind.outpost")), gitBundle(work, MAIN, "^" + base));
            long updateLink = updates.stream().mapToLong(Update::linkBytes).sum();
            long updateGit = updates.stream().mapToLong(Update::gitBundleBytes).sum();
            return new Result(initial.answer(), initialGit, (double) initial.answer() / initialGit, updateLink, updateGit,
                    (double) updateLink / updateGit, updates.stream().mapToLong(Update::requestBytes).sum(), updates, whole, behind);
        }
    }

    private record Crossed(long answer, long request) {
    }

    /** The outpost asks for main and waits for the answer; returns the bytes of the answer and of what went upstream. */
    private static Crossed sync(BenchLoop loop) throws Exception {
        long answerBefore = answerBytes(loop);
        long requestBefore = loop.running().link().bytes(LinkDirection.TO_UPSTREAM);
        loop.untilReady("the commit", () -> loop.running().gateway().sync(OneMachine.CONFIG_REPO, DemoOrigin.BRANCH), Duration.ofMinutes(2));
        return new Crossed(answerBytes(loop) - answerBefore, loop.running().link().bytes(LinkDirection.TO_UPSTREAM) - requestBefore);
    }

    private static long answerBytes(BenchLoop loop) {
        Map<String, LinkTotal> toOutpost = loop.running().link().totals().getOrDefault(LinkDirection.TO_OUTPOST.tag(), Map.of());
        return toOutpost.entrySet().stream().filter(total -> ANSWER.contains(total.getKey())).mapToLong(total -> total.getValue().bytes()).sum();
    }

    /** The size of the archive the upstream exports for {@code inventory}. */
    private static long archive(BenchLoop loop, Inventory inventory, Path file) {
        return loop.running().upstream().export(inventory, file).bytes();
    }

    private static Inventory withTips(Inventory inventory, Map<String, String> tips) {
        return new Inventory(Inventory.FORMAT, inventory.outpost(), inventory.tenant(), inventory.createdAt(),
                inventory.repos().stream().map(repo -> new Inventory.Repo(repo.repo(), repo.refs(), tips)).toList(),
                inventory.blobs(), inventory.providers(), inventory.modules());
    }

    /** Pushes the work tree's main to the origin, as a developer would. */
    private static void publish(Path work) throws Exception {
        try (Git git = Git.open(work.toFile())) {
            git.push().setRemote("origin").setRefSpecs(new RefSpec("refs/heads/main:refs/heads/main")).call();
        }
    }

    /** The size of what {@code git bundle create -} writes for {@code revisions} in {@code repo}. */
    private static long gitBundle(Path repo, String... revisions) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-C", repo.toString(), "bundle", "create", "-"));
        command.addAll(List.of(revisions));
        Process git = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long size;
        try (InputStream out = git.getInputStream()) {
            size = out.transferTo(java.io.OutputStream.nullOutputStream());
        }
        if (git.waitFor() != 0 || size == 0) {
            throw new IOException("git bundle create - " + String.join(" ", revisions) + " failed in " + repo + " (exit " + git.exitValue() + ")");
        }
        return size;
    }
}
