package io.outpost.gateway.upstream.module;

import io.outpost.content.RefPatterns;
import io.outpost.content.module.ModuleSource;
import io.outpost.gateway.upstream.TerraformRegistryException;
import io.outpost.gateway.upstream.git.OriginMirrors;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.eclipse.jgit.transport.URIish;

/**
 * A module's files as the upstream gets them from its origin: a registry module's archive (downloaded, or
 * made from git when the registry points at a repo, as the public registry does), a git module's ref as a
 * bundle from the upstream's mirror of its repo ({@code DATA/upstream/module-mirrors/}), and the
 * {@code .tf} files of either, to follow the modules they call.
 */
final class ModuleFiles {
    private static final long MAX_TF_FILE = 1024 * 1024;

    private final OriginMirrors mirrors;

    ModuleFiles(OriginMirrors mirrors) {
        this.mirrors = mirrors;
    }

    /** A git module at its ref: where its mirror is, and the ref and commit it is at. */
    record GitRef(String repo, String ref, String commit) {
    }

    /** Fetches a git module's repo into its mirror and finds its ref (a tag, then a branch; the default branch when none). */
    GitRef fetch(ModuleSource git) {
        String repo = git.repoName();
        try {
            mirrors.refresh(repo, new URIish(git.address()));
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("module " + git + ": not a git URL", e);
        }
        List<String> candidates = git.ref().isEmpty() ? List.of(RefPatterns.DEFAULT_BRANCH) : List.of("refs/tags/" + git.ref(), "refs/heads/" + git.ref());
        for (String candidate : candidates) {
            Map<String, String> tips = mirrors.tips(repo, List.of(candidate), RefPatterns.ALL);
            if (!tips.isEmpty()) {
                Map.Entry<String, String> tip = tips.entrySet().iterator().next();
                return new GitRef(repo, tip.getKey(), tip.getValue());
            }
        }
        throw new TerraformRegistryException("module " + git + ": its repo has no " + (git.ref().isEmpty() ? "default branch" : "tag or branch '" + git.ref() + "'"),
                404, null);
    }

    /** Writes a bundle of the git module's ref (and what it needs) to {@code out}. */
    void bundle(GitRef ref, Path out) {
        mirrors.writeBundle(ref.repo(), Map.of(ref.ref(), ref.commit()), out);
    }

    /** The {@code .tf} files of a git module at its commit, by path. */
    Map<String, String> tfFiles(GitRef ref) {
        return mirrors.files(ref.repo(), ref.commit(), path -> path.endsWith(".tf"), MAX_TF_FILE);
    }

    /**
     * Writes a registry module's files to {@code out} as a tar.gz, from its {@link ModuleRegistryClient#location}:
     * an HTTP(S) tar.gz as it is, a {@code git::} source as the tree at its ref.
     */
    void archive(String location, ModuleRegistryClient registry, Path out) {
        if (location.startsWith("git::")) {
            ModuleSource git = ModuleSource.parse(location).orElseThrow(() -> new TerraformRegistryException(
                    "the registry points at " + location + ", which is not a git URL Outpost fetches (https, http or file)", 502, null));
            GitRef ref = fetch(git);
            mirrors.writeTarGz(ref.repo(), ref.commit(), out);
            return;
        }
        URI url = URI.create(location.replaceFirst("^(tar\\.gz|tgz)::", ""));
        if (!url.getPath().endsWith(".tar.gz") && !url.getPath().endsWith(".tgz") && !location.startsWith("tar.gz::")) {
            throw new TerraformRegistryException("the registry points at " + location + ": Outpost moves modules as git or tar.gz archives", 502, null);
        }
        registry.fetch(url, out);
    }

    /** The {@code .tf} files of a tar.gz module archive, by path. */
    static Map<String, String> tfFiles(Path tarGz) {
        Map<String, String> files = new TreeMap<>();
        try (InputStream in = Files.newInputStream(tarGz); TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(in))) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                if (entry.isFile() && entry.getName().endsWith(".tf") && entry.getSize() <= MAX_TF_FILE) {
                    files.put(entry.getName(), new String(tar.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            return files;
        } catch (IOException e) {
            throw new TerraformRegistryException("the module archive is not a tar.gz: " + e.getMessage(), 502, e);
        }
    }
}
