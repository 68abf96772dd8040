package io.outpost.gateway.upstream.git;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.content.RefPatterns;
import io.outpost.gateway.outpost.git.LocalRemotes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.URIish;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An origin whose default branch is master, with release tags: followed by default branch, by tag glob, within the allowlist. */
class RefsAndDefaultBranchTest {
    private static final String MASTER = "refs/heads/master";

    @TempDir
    Path dir;
    private Git origin;
    private OriginMirrors mirrors;
    private LocalRemotes local;

    @BeforeEach
    void repos() throws Exception {
        origin = Git.init().setDirectory(dir.resolve("origin").toFile()).setInitialBranch("master").call();
        for (int i = 1; i <= 3; i++) {
            release(i);
        }
        origin.branchCreate().setName("dev").call();
        mirrors = new OriginMirrors(dir.resolve("mirrors"));
        mirrors.refresh("infra", new URIish(dir.resolve("origin").toUri().toURL()));
        local = new LocalRemotes(dir.resolve("outpost-git"), Clock.systemUTC());
    }

    private void release(int i) throws Exception {
        Files.writeString(dir.resolve("origin/CHANGELOG.md"), "release " + i + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        origin.add().addFilepattern(".").call();
        origin.commit().setMessage("release " + i).setSign(false).call();
        origin.tag().setName("v" + i).setMessage("release " + i).setAnnotated(true).setSigned(false).call();
    }

    @Test
    void theDefaultBranchIsWhateverTheOriginsHeadNamesAndTheLocalHeadFollowsIt() throws Exception {
        assertThat(mirrors.head("infra")).contains(MASTER);
        Map<String, String> tips = mirrors.tips("infra", List.of(RefPatterns.DEFAULT_BRANCH), RefPatterns.ALL);
        assertThat(tips).containsOnlyKeys(MASTER);

        Path bundle = dir.resolve("bundle");
        mirrors.writePack("infra", tips, local.haves("infra", List.of(RefPatterns.DEFAULT_BRANCH)), bundle);
        local.apply("infra", bundle, tips, mirrors.head("infra").orElseThrow());

        try (Repository repository = new FileRepositoryBuilder().setGitDir(local.pathOf("infra").toFile()).build()) {
            assertThat(repository.exactRef(Constants.HEAD).getTarget().getName()).isEqualTo(MASTER);
        }
        assertThat(local.tips("infra", List.of(RefPatterns.DEFAULT_BRANCH))).isEqualTo(tips);
    }

    @Test
    void aTagGlobBringsEveryMatchingAnnotatedTagWithItsObjectsAndLaterOnlyTheNewOne() throws Exception {
        List<String> followed = List.of("refs/tags/v*");
        Map<String, String> tips = mirrors.tips("infra", followed, RefPatterns.ALL);
        assertThat(tips).containsOnlyKeys("refs/tags/v1", "refs/tags/v2", "refs/tags/v3");
        Path bundle = dir.resolve("bundle");
        mirrors.writePack("infra", tips, Map.of(), bundle);
        assertThat(local.apply("infra", bundle, tips, "").tips()).isEqualTo(tips);
        try (Repository repository = new FileRepositoryBuilder().setGitDir(local.pathOf("infra").toFile()).build()) {
            assertThat(repository.open(repository.exactRef("refs/tags/v3").getObjectId()).getType()).isEqualTo(Constants.OBJ_TAG);
        }
        long first = Files.size(bundle);

        release(4);
        mirrors.refresh("infra", new URIish(dir.resolve("origin").toUri().toURL()));
        Map<String, String> newer = mirrors.tips("infra", followed, RefPatterns.ALL);
        Map<String, String> changed = mirrors.writePack("infra", newer, local.haves("infra", followed), bundle).orElseThrow();
        assertThat(changed).containsOnlyKeys("refs/tags/v4");
        assertThat(Files.size(bundle)).as("the held tags stand for their commits: only release 4 is sent").isLessThan(first);
        assertThat(local.apply("infra", bundle, changed, "").tips()).isEqualTo(changed);
    }

    @Test
    void theAllowlistLimitsWhichRefsLeave() {
        List<String> allowed = List.of("refs/tags/v2*", "refs/heads/master");
        assertThat(mirrors.tips("infra", List.of("refs/tags/*", "refs/heads/dev"), allowed)).containsOnlyKeys("refs/tags/v2");
        assertThat(mirrors.tips("infra", List.of("refs/heads/dev"), allowed)).isEmpty();
        assertThat(mirrors.tips("infra", List.of("refs/heads/dev"), RefPatterns.ALL)).containsOnlyKeys("refs/heads/dev");
    }
}
