package io.outpost.gateway.outpost;

import com.fasterxml.jackson.core.type.TypeReference;
import io.outpost.protocol.Json;
import io.outpost.transfer.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The blobs Outpost has put into the local registry, by digest, with the repositories holding each: what
 * an image request says the outpost already has, and where a blob can be mounted from. Kept in a file,
 * since a registry cannot list its blobs. A blob found missing is forgotten, so it is asked for again.
 */
public final class BlobInventory {
    private final Path file;
    private final Map<String, TreeSet<String>> repositoriesByDigest;

    public BlobInventory(Path file) {
        this.file = file;
        try {
            this.repositoriesByDigest = Files.exists(file)
                    ? Json.MAPPER.readValue(file.toFile(), new TypeReference<TreeMap<String, TreeSet<String>>>() { })
                    : new TreeMap<>();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read blob inventory " + file, e);
        }
    }

    public synchronized List<String> digests() {
        return List.copyOf(repositoriesByDigest.keySet());
    }

    /** A repository other than {@code repository} known to hold {@code digest}, to mount it from. */
    public synchronized Optional<String> holderOtherThan(String digest, String repository) {
        return repositoriesByDigest.getOrDefault(digest, new TreeSet<>()).stream().filter(r -> !r.equals(repository)).findFirst();
    }

    public synchronized void add(String digest, String repository) {
        if (repositoriesByDigest.computeIfAbsent(digest, d -> new TreeSet<>()).add(repository)) {
            write();
        }
    }

    public synchronized void forget(String digest) {
        if (repositoriesByDigest.remove(digest) != null) {
            write();
        }
    }

    private void write() {
        try {
            DurableFiles.writeAtomically(file, Json.MAPPER.writeValueAsBytes(repositoriesByDigest));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write blob inventory " + file, e);
        }
    }
}
