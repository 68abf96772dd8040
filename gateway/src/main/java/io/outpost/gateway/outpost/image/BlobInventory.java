package io.outpost.gateway.outpost.image;

import com.fasterxml.jackson.core.type.TypeReference;
import io.outpost.data.DurableFiles;
import io.outpost.protocol.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The blobs Outpost has put into the local registry, by digest, with the repositories holding each: what
 * an image request says the outpost already has, and where a blob can be mounted from. Kept in a file,
 * since a registry cannot list its blobs. A blob found missing is forgotten, so it is asked for again.
 * Gateways sharing the data directory share the file: each reads it again when another has written it.
 */
public final class BlobInventory {
    private final Path file;
    private Map<String, TreeSet<String>> repositoriesByDigest = new TreeMap<>();
    /** The file as last read or written here; another version is another gateway's. */
    private FileTime seen;

    public BlobInventory(Path file) {
        this.file = file;
        refresh();
    }

    public synchronized List<String> digests() {
        refresh();
        return List.copyOf(repositoriesByDigest.keySet());
    }

    /** A repository other than {@code repository} known to hold {@code digest}, to mount it from. */
    public synchronized Optional<String> holderOtherThan(String digest, String repository) {
        refresh();
        return repositoriesByDigest.getOrDefault(digest, new TreeSet<>()).stream().filter(r -> !r.equals(repository)).findFirst();
    }

    public synchronized void add(String digest, String repository) {
        refresh();
        if (repositoriesByDigest.computeIfAbsent(digest, d -> new TreeSet<>()).add(repository)) {
            write();
        }
    }

    public synchronized void forget(String digest) {
        refresh();
        if (repositoriesByDigest.remove(digest) != null) {
            write();
        }
    }

    private void refresh() {
        try {
            FileTime now = Files.exists(file) ? Files.getLastModifiedTime(file) : null;
            if (now != null && !now.equals(seen)) {
                repositoriesByDigest = Json.MAPPER.readValue(file.toFile(), new TypeReference<TreeMap<String, TreeSet<String>>>() { });
                seen = now;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read blob inventory " + file, e);
        }
    }

    private void write() {
        try {
            DurableFiles.writeAtomically(file, Json.MAPPER.writeValueAsBytes(repositoriesByDigest));
            seen = Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write blob inventory " + file, e);
        }
    }
}
