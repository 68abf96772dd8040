package io.outpost.gateway.outpost.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outpost.content.Digests;
import io.outpost.content.RefPatterns;
import io.outpost.content.module.ModuleSource;
import io.outpost.data.SiteData;
import io.outpost.gateway.outpost.git.BundleRejectedException;
import io.outpost.gateway.upstream.git.OriginMirrors;
import io.outpost.protocol.ModuleGet;
import io.outpost.protocol.ModulePackage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.transport.URIish;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The outpost's module mirror: what it holds, by key; git modules applied and pointed at for terraform's git. */
class ModuleMirrorTest {
    private static final String LABEL = "registry.outpost.test/demo/label/terraform";

    @TempDir
    Path dir;

    @Test
    void aRegistryModuleIsHeldOnceItsRecordIsWritten() throws Exception {
        SiteData outpost = new SiteData(dir.resolve("outpost"));
        ModuleMirror mirror = new ModuleMirror(outpost, Clock.systemUTC());
        Path archive = Files.writeString(dir.resolve("label.tar.gz"), "not checked here: the pull checks the sha256");
        assertThat(mirror.has(new ModuleGet(LABEL, "~> 1.0"))).isFalse();

        mirror.put(new ModulePackage(LABEL, "1.2.0", Digests.sha256(archive), Files.size(archive), Map.of()), archive);

        assertThat(mirror.held()).containsExactly(LABEL + "@1.2.0");
        assertThat(mirror.has(new ModuleGet(LABEL, "~> 1.0"))).isTrue();
        assertThat(mirror.has(new ModuleGet(LABEL, ">= 2.0"))).isFalse();
        assertThat(outpost.moduleRegistries().resolve("registry.outpost.test")).as("a directory per hostname, for the worker's host blocks").isDirectory();
    }

    @Test
    void aGitModuleIsAppliedAtItsRefAndItsUrlLeadsToTheCopy() throws Exception {
        Path work = dir.resolve("net");
        try (Git git = Git.init().setDirectory(work.toFile()).setInitialBranch("main").call()) {
            Files.writeString(work.resolve("main.tf"), "output \"cidr\" { value = \"10.0.0.0/8\" }\n");
            git.add().addFilepattern(".").call();
            git.commit().setMessage("net").setSign(false).call();
            git.tag().setName("v1").setAnnotated(false).call();
        }
        OriginMirrors upstream = new OriginMirrors(dir.resolve("upstream"));
        String url = "https://git.example.org/team/net.git";
        String repo = ModuleSource.parse("git::" + url).orElseThrow().repoName();
        upstream.refresh(repo, new URIish(work.toUri().toURL()));
        Map<String, String> tips = upstream.tips(repo, List.of("refs/tags/v1"), RefPatterns.ALL);
        Path bundle = dir.resolve("net.bundle");
        upstream.writeBundle(repo, tips, bundle);

        SiteData outpost = new SiteData(dir.resolve("outpost"));
        ModuleMirror mirror = new ModuleMirror(outpost, Clock.systemUTC());
        mirror.put(new ModulePackage("git::" + url + "?ref=v1", "v1", Digests.sha256(bundle), Files.size(bundle), tips), bundle);

        assertThat(mirror.held()).containsExactly("git::" + url + "?ref=v1@v1");
        assertThat(mirror.has(new ModuleGet("git::" + url + "?ref=v1", ""))).isTrue();
        assertThat(mirror.has(new ModuleGet("git::" + url + "?ref=v2", ""))).isFalse();
        assertThat(Files.readString(outpost.moduleGitConfig())).contains("insteadOf = " + url).contains("file:")
                .as("git may reach nothing else").contains("[protocol]\n\tallow = never");

        Map<String, String> wrong = Map.of("refs/tags/v1", "f".repeat(40));
        assertThatThrownBy(() -> mirror.put(new ModulePackage("git::" + url + "?ref=v1", "v1", Digests.sha256(bundle), Files.size(bundle), wrong), bundle))
                .isInstanceOf(BundleRejectedException.class);
    }
}
