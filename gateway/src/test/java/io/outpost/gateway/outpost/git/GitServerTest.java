package io.outpost.gateway.outpost.git;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.broker.InternalCa;
import io.outpost.content.Tenants;
import io.outpost.data.SiteData;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** C git against the outpost's git server: clone, shallow, partial, tags, both protocol versions, users and namespaces. */
class GitServerTest {
    @TempDir
    Path dir;
    private InternalCa ca;
    private GitServer server;
    private String ownPassword;
    private String tenantPassword;
    private String main;

    @BeforeEach
    void start() throws Exception {
        SiteData outpost = new SiteData(dir.resolve("outpost"));
        LocalRemotes own = new LocalRemotes(outpost.namespace(Tenants.OUTPOST).git(), Clock.systemUTC());
        LocalRemotes blue = new LocalRemotes(outpost.namespace("blue").git(), Clock.systemUTC());
        main = fill(own.pathOf("infra"));
        fill(blue.pathOf("apps"));
        ca = InternalCa.loadOrCreate(outpost.tls(), "test-outpost", Clock.systemUTC());
        GitReaders readers = GitReaders.loadOrCreate(outpost, List.of("blue"));
        ownPassword = Files.readString(outpost.gitPassword("git")).strip();
        tenantPassword = Files.readString(outpost.gitPassword("git-blue")).strip();
        server = GitServer.start(Map.of(Tenants.OUTPOST, own, "blue", blue), readers, new InetSocketAddress("127.0.0.1", 0),
                ca.serverContext(List.of("127.0.0.1")));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** A bare repo as the outpost holds one: history on main, an annotated tag, Outpost's own refs aside; returns main's tip. */
    private static String fill(Path bare) throws Exception {
        Path work = bare.resolveSibling(bare.getFileName() + "-work");
        try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
            RevCommit last = null;
            for (int i = 1; i <= 3; i++) {
                Files.writeString(work.resolve("main.tf"), "# release " + i + "\n".repeat(i));
                git.add().addFilepattern(".").call();
                last = git.commit().setMessage("release " + i).setSign(false).call();
                if (i == 2) {
                    git.tag().setName("v2").setMessage("second release").setAnnotated(true).setSigned(false).call();
                }
            }
            Git.cloneRepository().setURI(work.toUri().toString()).setDirectory(bare.toFile()).setBare(true).call().close();
            try (Git bareGit = Git.open(bare.toFile())) {
                RefUpdate aside = bareGit.getRepository().updateRef("refs/outpost/forced/heads/main/1");
                aside.setNewObjectId(ObjectId.fromString(last.name()));
                aside.update();
            }
            return last.name();
        }
    }

    private String url(String user, String password, String path) {
        return server.url().toString().replace("https://", "https://" + user + ":" + password + "@") + path;
    }

    private Result git(Path in, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git", "-c", "credential.helper="));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(in.toFile()).redirectErrorStream(true);
        builder.environment().put("GIT_TERMINAL_PROMPT", "0");
        // as the README tells git users: trust the outpost's internal CA (the environment wins over git's config)
        builder.environment().put("GIT_SSL_CAINFO", ca.certificateFile().toString());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(process.waitFor(), out);
    }

    private record Result(int exit, String output) {
    }

    @Test
    void aPlainCloneChecksOutTheDefaultBranchAndPassesFsck() throws Exception {
        Result clone = git(dir, "clone", url("git", ownPassword, "infra.git"), "plain");
        assertThat(clone.exit()).as(clone.output()).isZero();
        assertThat(clone.output()).doesNotContain("nonexistent ref");
        assertThat(git(dir.resolve("plain"), "rev-parse", "HEAD").output().strip()).isEqualTo(main);
        assertThat(git(dir.resolve("plain"), "fsck", "--strict").exit()).isZero();
        Result remote = git(dir, "ls-remote", url("git", ownPassword, "infra.git"));
        assertThat(remote.output()).contains("refs/heads/main", "refs/tags/v2").doesNotContain("refs/outpost/");
    }

    @Test
    void shallowAndPartialFetchesWorkInBothProtocolVersions() throws Exception {
        for (String version : List.of("0", "2")) {
            Result shallow = git(dir, "-c", "protocol.version=" + version, "clone", "--depth", "1", url("git", ownPassword, "infra.git"), "shallow" + version);
            assertThat(shallow.exit()).as(shallow.output()).isZero();
            assertThat(git(dir.resolve("shallow" + version), "rev-list", "--count", "HEAD").output().strip()).isEqualTo("1");
        }
        Result partial = git(dir, "clone", "--filter=blob:none", url("git", ownPassword, "infra.git"), "partial");
        assertThat(partial.exit()).as(partial.output()).isZero();
        assertThat(git(dir.resolve("partial"), "config", "remote.origin.promisor").output().strip()).isEqualTo("true");
        Result tag = git(dir.resolve("shallow2"), "fetch", "origin", "tag", "v2");
        assertThat(tag.exit()).as(tag.output()).isZero();
        assertThat(git(dir.resolve("shallow2"), "cat-file", "-t", "v2").output().strip()).isEqualTo("tag");
    }

    @Test
    void eachUserReadsItsOwnNamespaceOnlyAndNothingIsPushed() throws Exception {
        Result tenant = git(dir, "clone", url("git-blue", tenantPassword, "blue/apps.git"), "apps");
        assertThat(tenant.exit()).as(tenant.output()).isZero();
        Result other = git(dir, "ls-remote", url("git-blue", tenantPassword, "infra.git"));
        assertThat(other.exit()).isNotZero();
        assertThat(other.output()).contains("403");
        Result wrong = git(dir, "ls-remote", url("git", "not-the-password", "infra.git"));
        assertThat(wrong.exit()).isNotZero();
        assertThat(wrong.output()).contains("Authentication failed");
        Result push = git(dir.resolve("apps"), "push", url("git-blue", tenantPassword, "blue/apps.git"), "HEAD:refs/heads/other");
        assertThat(push.exit()).isNotZero();
        assertThat(push.output()).contains("read-only");
        Result missing = git(dir, "ls-remote", url("git", ownPassword, "nothing.git"));
        assertThat(missing.exit()).isNotZero();
    }
}
