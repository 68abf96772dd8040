package io.outpost.gateway.outpost.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.outpost.content.provider.PackageHashes;
import io.outpost.content.provider.ProviderAddress;
import io.outpost.content.provider.ProviderVersion;
import io.outpost.content.provider.VersionConstraint;
import io.outpost.data.DurableFiles;
import io.outpost.protocol.Json;
import io.outpost.protocol.ProviderPackage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The outpost's provider packages ({@code DATA/outpost/providers/}), in Terraform's packed mirror layout
 * ({@code HOSTNAME/NAMESPACE/TYPE/terraform-provider-TYPE_VERSION_OS_ARCH.zip}). Each archive has a
 * {@code .json} record of its version, platform and hashes beside it, written after the archive: a package
 * is held exactly when its record exists, so a process killed mid-write leaves nothing half-held.
 */
public final class ProviderMirror {
    private static final String RECORD = ".json";

    /** A package the mirror holds. */
    public record Archive(String filename, ProviderVersion version, String platform, String sha256, String h1) {
        /** The hashes as the mirror protocol and lock files write them. */
        public List<String> hashes() {
            return List.of(h1, PackageHashes.zh(sha256));
        }
    }

    private final Path root;

    public ProviderMirror(Path root) {
        this.root = root;
    }

    /** Stores a verified package; the archive is copied, so {@code body} stays the caller's. */
    public synchronized void put(ProviderPackage pkg, Path body) {
        Path dir = dir(pkg.address());
        DurableFiles.copyAtomically(body, dir.resolve(pkg.filename()));
        try {
            DurableFiles.writeAtomically(dir.resolve(pkg.filename() + RECORD), Json.MAPPER.writeValueAsBytes(Map.of(
                    "version", pkg.version(), "platform", pkg.platform(), "sha256", pkg.sha256(), "h1", pkg.h1())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record provider package " + pkg.filename(), e);
        }
    }

    /** Every package held, as {@link ProviderPackage#key() keys}. */
    public synchronized List<String> held() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root, 4)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".zip" + RECORD)).map(record -> {
                Path dir = record.getParent();
                Archive archive = read(record);
                String source = dir.getParent().getParent().getFileName() + "/" + dir.getParent().getFileName() + "/" + dir.getFileName();
                return ProviderPackage.key(source, archive.version().toString(), archive.platform());
            }).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }

    /** Every package held for {@code provider}. */
    public synchronized List<Archive> archives(ProviderAddress provider) {
        Path dir = dir(provider);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".zip" + RECORD)).map(ProviderMirror::read).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    public Collection<ProviderVersion> versions(ProviderAddress provider) {
        return new TreeSet<>(archives(provider).stream().map(Archive::version).toList());
    }

    /** The packages of one version, by platform. */
    public Map<String, Archive> archives(ProviderAddress provider, ProviderVersion version) {
        Map<String, Archive> byPlatform = new TreeMap<>();
        archives(provider).stream().filter(archive -> archive.version().equals(version)).forEach(archive -> byPlatform.put(archive.platform(), archive));
        return byPlatform;
    }

    /** The archive file, when held. */
    public Optional<Path> archive(ProviderAddress provider, String filename) {
        Path file = dir(provider).resolve(filename);
        return filename.endsWith(".zip") && !filename.contains("/") && Files.exists(dir(provider).resolve(filename + RECORD))
                ? Optional.of(file) : Optional.empty();
    }

    /** The newest held version that {@code versions} accepts and that is held for every one of {@code platforms}. */
    public Optional<ProviderVersion> newest(ProviderAddress provider, VersionConstraint versions, List<String> platforms) {
        return versions.newest(versions(provider).stream()
                .filter(version -> archives(provider, version).keySet().containsAll(platforms)).toList());
    }

    private Path dir(ProviderAddress provider) {
        return root.resolve(provider.hostname()).resolve(provider.namespace()).resolve(provider.type());
    }

    private static Archive read(Path record) {
        try {
            JsonNode json = Json.MAPPER.readTree(record.toFile());
            String name = record.getFileName().toString();
            return new Archive(name.substring(0, name.length() - RECORD.length()), ProviderVersion.parse(json.path("version").asText()),
                    json.path("platform").asText(), json.path("sha256").asText(), json.path("h1").asText());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read provider record " + record, e);
        }
    }
}
