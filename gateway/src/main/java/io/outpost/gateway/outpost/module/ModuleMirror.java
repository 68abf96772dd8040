package io.outpost.gateway.outpost.module;

import com.fasterxml.jackson.databind.JsonNode;
import io.outpost.content.module.ModuleSource;
import io.outpost.content.provider.ProviderVersion;
import io.outpost.content.provider.VersionConstraint;
import io.outpost.data.DurableFiles;
import io.outpost.data.SiteData;
import io.outpost.gateway.outpost.git.LocalRemotes;
import io.outpost.protocol.Json;
import io.outpost.protocol.ModuleGet;
import io.outpost.protocol.ModulePackage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The outpost's Terraform modules ({@code DATA/outpost/modules/}), one mirror for every namespace (modules
 * are code their publishers signed off, like providers): a registry module's files as
 * {@code registry/HOSTNAME/NAMESPACE/NAME/SYSTEM/VERSION.tar.gz}, a git module as a bare repo under
 * {@code git/}. Each has a {@code .json} record beside it, written last: a module is held exactly when its
 * record exists. For git modules the mirror keeps {@code gitconfig}, which points each module's URL at its
 * repo here ({@code url.<repo>.insteadOf}), so terraform's git clones from the mirror, and lets git use no
 * other protocol than {@code file}: a git module the mirror lacks fails to install rather than reach out.
 */
public final class ModuleMirror {
    private static final String RECORD = ".json";
    private static final String ARCHIVE = ".tar.gz";

    private final Path root;
    private final Path registries;
    private final Path gitConfig;
    private final LocalRemotes git;

    /** The mirror of the outpost whose data is {@code outpost}. */
    public ModuleMirror(SiteData outpost, Clock clock) {
        this.root = outpost.modules();
        this.registries = outpost.moduleRegistries();
        this.gitConfig = outpost.moduleGitConfig();
        this.git = new LocalRemotes(root.resolve("git"), clock);
    }

    /** Stores a verified module; a git module's bundle is applied to its repo, fast-forward only. */
    public synchronized void put(ModulePackage pkg, Path body) {
        ModuleSource module = pkg.module();
        try {
            byte[] record = Json.MAPPER.writeValueAsBytes(Map.of("source", pkg.source(), "version", pkg.version(), "sha256", pkg.sha256()));
            if (module.kind() == ModuleSource.Kind.REGISTRY) {
                Path archive = registryDir(module).resolve(pkg.version() + ARCHIVE);
                DurableFiles.copyAtomically(body, archive);
                DurableFiles.writeAtomically(archive.resolveSibling(archive.getFileName() + RECORD), record);
            } else {
                git.apply(module.repoName(), body, pkg.tips(), "");
                // a clone with no ref checks out HEAD: it follows the ref the module was moved at
                String ref = pkg.tips().keySet().iterator().next();
                git.followHead(module.repoName(), ref.startsWith("refs/heads/") ? ref : "");
                DurableFiles.writeAtomically(root.resolve("git").resolve(module.repoName() + "@" + pkg.version() + RECORD), record);
                writeGitConfig();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record module " + pkg.key(), e);
        }
    }

    /** Every module held, as {@link ModulePackage#key() keys}. */
    public synchronized List<String> held() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root, 6)) {
            return files.filter(file -> file.getFileName().toString().endsWith(RECORD)).map(ModuleMirror::read)
                    .map(record -> record.path("source").asText() + "@" + record.path("version").asText()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }

    /** The versions of a registry module held. */
    public TreeSet<ProviderVersion> versions(ModuleSource module) {
        TreeSet<ProviderVersion> versions = new TreeSet<>();
        Path dir = registryDir(module);
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith(ARCHIVE + RECORD))
                        .forEach(name -> versions.add(ProviderVersion.parse(name.substring(0, name.length() - (ARCHIVE + RECORD).length()))));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + dir, e);
            }
        }
        return versions;
    }

    /** A registry module's archive, when that version is held. */
    public Optional<Path> archive(ModuleSource module, ProviderVersion version) {
        Path archive = registryDir(module).resolve(version + ARCHIVE);
        return Files.exists(archive.resolveSibling(archive.getFileName() + RECORD)) ? Optional.of(archive) : Optional.empty();
    }

    /** Whether what {@code get} asks for is held: a version its constraint accepts, or the git module at its ref. */
    public boolean has(ModuleGet get) {
        ModuleSource module = get.module();
        if (module.kind() == ModuleSource.Kind.REGISTRY) {
            return get.constraint().newest(List.copyOf(versions(module))).isPresent();
        }
        return Files.exists(root.resolve("git").resolve(module.repoName() + "@" + (module.ref().isEmpty() ? "HEAD" : module.ref()) + RECORD));
    }

    /** The newest held version a constraint accepts. */
    public Optional<ProviderVersion> newest(ModuleSource module, VersionConstraint versions) {
        return versions.newest(List.copyOf(versions(module)));
    }

    /** (Re)writes the git config for terraform's git: the gateway does at start, and after each git module it stores. */
    public synchronized void writeGitConfig() throws IOException {
        StringBuilder config = new StringBuilder("""
                # Written by Outpost's module mirror: terraform's git clones git modules from the outpost's copies, and nothing else.
                [protocol]
                	allow = never
                [protocol "file"]
                	allow = always
                """);
        List<String> urls = new ArrayList<>();
        if (Files.isDirectory(root.resolve("git"))) {
            try (Stream<Path> records = Files.list(root.resolve("git"))) {
                records.filter(file -> file.getFileName().toString().endsWith(RECORD)).map(ModuleMirror::read)
                        .map(record -> ModuleSource.parse(record.path("source").asText()).orElseThrow()).map(ModuleSource::address).distinct()
                        .forEach(urls::add);
            }
        }
        for (String url : urls) {
            ModuleSource module = ModuleSource.parse("git::" + url).orElseThrow();
            config.append("[url \"").append(git.pathOf(module.repoName()).toUri()).append("\"]\n\tinsteadOf = ").append(url).append('\n');
        }
        DurableFiles.writeAtomically(gitConfig, config.toString().getBytes(StandardCharsets.UTF_8));
    }

    private Path registryDir(ModuleSource module) {
        Path dir = registries;
        for (String part : module.address().split("/")) {
            dir = dir.resolve(part);
        }
        return dir;
    }

    private static JsonNode read(Path record) {
        try {
            return Json.MAPPER.readTree(record.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read module record " + record, e);
        }
    }
}
