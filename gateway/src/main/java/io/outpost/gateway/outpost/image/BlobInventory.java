package io.outpost.gateway.outpost.image;

import com.fasterxml.jackson.core.type.TypeReference;
import io.outpost.content.Names;
import io.outpost.data.NamespaceData;
import io.outpost.protocol.Json;
import io.outpost.registry.RegistryClient;
import io.outpost.registry.RegistryException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blobs Outpost has put into the local registry, by digest, with the repositories holding each: what
 * an image request says the outpost already has, and where a blob can be mounted from. Kept in a file,
 * since a registry cannot list its blobs: a change per line ({@code + DIGEST REPOSITORY}, {@code - DIGEST}),
 * appended under a file lock, so adding a blob costs one short write whatever the record holds (about 110
 * bytes a line: 10,000 blobs make about 1 MB). A blob found missing is forgotten, so it is asked for again. Gateways sharing the data directory share the file: each reads what another appended before it
 * answers. A line cut short by a crash is dropped.
 */
public final class BlobInventory {
    private static final Logger LOG = LoggerFactory.getLogger(BlobInventory.class);
    private static final Map<Path, Object> WRITERS = new ConcurrentHashMap<>();

    private final Path file;
    private final Map<String, TreeSet<String>> repositoriesByDigest = new TreeMap<>();
    /** How much of the file has been read: complete lines only. */
    private long read;

    public BlobInventory(Path file) {
        this.file = file;
    }

    /** The namespace's record, carried over once from the JSON file earlier builds kept. */
    public static BlobInventory of(NamespaceData namespace) {
        BlobInventory inventory = new BlobInventory(namespace.registryInventory());
        Path json = namespace.registryInventoryJson();
        if (Files.exists(json) && !Files.exists(namespace.registryInventory())) {
            try {
                Map<String, TreeSet<String>> old = Json.MAPPER.readValue(json.toFile(), new TypeReference<TreeMap<String, TreeSet<String>>>() { });
                old.forEach((digest, repositories) -> repositories.forEach(repository -> inventory.add(digest, repository)));
                LOG.info("blob record {} carried over into {} ({} blobs)", json, namespace.registryInventory(), old.size());
            } catch (IOException e) {
                LOG.warn("cannot read the earlier blob record {} ({}): its blobs are asked for again as images need them", json, e.getMessage());
            }
            try {
                Files.delete(json);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove " + json, e);
            }
        }
        return inventory;
    }

    /**
     * Puts back what a damaged or lost record forgot, from the registry itself: each of {@code held} (the blobs the
     * holdings record says the outpost holds) that this record lacks is looked for in the repositories the registry
     * lists and this record names, and recorded where found. One warning says what was found and what was lost (a
     * lost blob is asked for again when an image needs it); a registry that cannot be asked leaves the record as it is.
     */
    public void repair(Collection<String> held, RegistryClient registry) {
        Set<String> known = new TreeSet<>(digests());
        List<String> lacking = held.stream().filter(digest -> !known.contains(digest)).sorted().toList();
        if (lacking.isEmpty()) {
            return;
        }
        int found = 0;
        try {
            Set<String> repositories = new TreeSet<>(registry.repositories());
            synchronized (this) {
                repositoriesByDigest.values().forEach(repositories::addAll);
            }
            for (String digest : lacking) {
                Optional<String> holder = repositories.stream().filter(repository -> registry.hasBlob(repository, digest)).findFirst();
                if (holder.isPresent()) {
                    add(digest, holder.get());
                    found++;
                }
            }
        } catch (RegistryException e) {
            LOG.warn("blob record {} lacks {} blobs the holdings record says are held, and the registry cannot be asked now ({}): they are asked for again as images need them",
                    file, lacking.size(), e.getMessage());
            return;
        }
        LOG.warn("blob record {} lacked {} blobs the holdings record says are held (damaged or lost): found {} in the registry and recorded them again{}",
                file, lacking.size(), found, found == lacking.size() ? "" : "; the other " + (lacking.size() - found) + " are asked for again as images need them");
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
        if (!repositoriesByDigest.getOrDefault(digest, new TreeSet<>()).contains(repository)) {
            append("+ " + Names.requireDigest(digest) + " " + Names.requireImageRepository(repository));
        }
    }

    public synchronized void forget(String digest) {
        refresh();
        if (repositoriesByDigest.containsKey(digest)) {
            append("- " + Names.requireDigest(digest));
        }
    }

    /** Reads what was appended since the last read (all of it again when the file was rewritten). */
    private void refresh() {
        if (!Files.exists(file)) {
            return;
        }
        try (FileChannel channel = open()) {
            readFrom(channel);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read blob record " + file, e);
        }
    }

    /** Appends under the file's lock; gateways of one JVM take turns first, since a JVM holds a file's lock once. */
    private void append(String line) {
        synchronized (WRITERS.computeIfAbsent(file.toAbsolutePath().normalize(), key -> new Object())) {
            try (FileChannel channel = open()) {
                FileLock lock = channel.lock();
                try {
                    readFrom(channel);
                    // whatever follows the last complete line is a write a crash cut short
                    channel.truncate(read);
                    ByteBuffer bytes = ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.UTF_8));
                    channel.position(read);
                    while (bytes.hasRemaining()) {
                        channel.write(bytes);
                    }
                    channel.force(false);
                    readFrom(channel);
                } finally {
                    lock.release();
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write blob record " + file, e);
            }
        }
    }

    private FileChannel open() throws IOException {
        Files.createDirectories(file.getParent());
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    private void readFrom(FileChannel channel) throws IOException {
        long size = channel.size();
        if (size < read) {
            repositoriesByDigest.clear();
            read = 0;
        }
        if (size == read) {
            return;
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(size - read, Integer.MAX_VALUE - 8));
        channel.read(buffer, read);
        int complete = buffer.position();
        while (complete > 0 && buffer.get(complete - 1) != '\n') {
            complete--;
        }
        for (String line : new String(buffer.array(), 0, complete, StandardCharsets.UTF_8).split("\n")) {
            apply(line);
        }
        read += complete;
    }

    private void apply(String line) {
        String[] words = line.split(" ");
        if (words.length == 3 && words[0].equals("+")) {
            repositoriesByDigest.computeIfAbsent(words[1], d -> new TreeSet<>()).add(words[2]);
        } else if (words.length == 2 && words[0].equals("-")) {
            repositoriesByDigest.remove(words[1]);
        } else if (!line.isEmpty()) {
            LOG.warn("blob record {}: skipped a line that is not '+ DIGEST REPOSITORY' or '- DIGEST': {}", file, line);
        }
    }
}
