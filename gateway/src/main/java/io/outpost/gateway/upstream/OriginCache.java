package io.outpost.gateway.upstream;

import io.outpost.content.Names;
import io.outpost.data.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the upstream fetched from origins (image blobs, provider packages), by sha256, under
 * {@code DATA/upstream/origin-cache/}: one download serves every outpost of the fleet that lacks it, each answer taking a
 * hard link (or, on a file system without them, a copy) into the spool. Bounded: past {@code maxBytes}, what every
 * outpost already holds goes first, then what was used least recently (an outpost that still lacks it then costs one
 * fetch more). A download is kept only once
 * its sha256 is the one asked for; one cut short by a crash is removed when the cache opens (once it is hours old: upstream
 * gateways sharing the directory may be downloading).
 */
public final class OriginCache {
    private static final Logger LOG = LoggerFactory.getLogger(OriginCache.class);
    private static final String PARTIAL = ".partial-";
    private static final int STRIPES = 64;
    private static final Duration STALE_PARTIAL = Duration.ofHours(6);

    /** A download from an origin into {@code file}; returns the sha256 (hex) of what it wrote. */
    @FunctionalInterface
    public interface Download {
        String into(Path file) throws IOException;
    }

    /** What the origin sent hashes to something else than was asked for; nothing was kept. */
    public static final class DigestMismatchException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String actual;

        DigestMismatchException(String expected, String actual) {
            super("the origin sent content whose sha256 is " + actual + ", not " + expected);
            this.actual = actual;
        }

        public String actual() {
            return actual;
        }
    }

    private final Path dir;
    private final long maxBytes;
    private final Supplier<Set<String>> heldEverywhere;
    private final Clock clock;
    private final Object[] stripes = new Object[STRIPES];
    private final AtomicLong downloads = new AtomicLong();
    private final AtomicLong downloadedBytes = new AtomicLong();
    private final AtomicLong hits = new AtomicLong();

    /** @param heldEverywhere the digests ({@code sha256:HEX}) every outpost of the fleet holds, read when the cache is full */
    public OriginCache(Path dir, long maxBytes, Supplier<Set<String>> heldEverywhere, Clock clock) {
        this.heldEverywhere = heldEverywhere;
        this.dir = dir;
        this.maxBytes = maxBytes;
        this.clock = clock;
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Object();
        }
        try {
            Files.createDirectories(dir);
            try (Stream<Path> files = Files.list(dir)) {
                // another gateway sharing the directory may be downloading: only what no download would leave so long is a crash's
                FileTime stale = FileTime.from(clock.instant().minus(STALE_PARTIAL));
                for (Path partial : files.filter(file -> file.getFileName().toString().contains(PARTIAL) && lastUsed(file).compareTo(stale) < 0).toList()) {
                    Files.deleteIfExists(partial);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the origin cache " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The content of sha256 {@code hex} at {@code target}, downloaded first when the cache lacks it; its size. */
    public long copy(String hex, Path target, Download download) {
        Path cached = dir.resolve(Names.requireSha256(hex));
        try {
            synchronized (stripes[Math.floorMod(hex.hashCode(), STRIPES)]) {
                if (Files.exists(cached)) {
                    hits.incrementAndGet();
                    Files.setLastModifiedTime(cached, FileTime.from(clock.instant()));
                } else {
                    fetch(hex, cached, download);
                }
                Files.deleteIfExists(target);
                try {
                    Files.createLink(target, cached);
                } catch (IOException | UnsupportedOperationException e) {
                    Files.copy(cached, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return Files.size(target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot take " + hex + " from the origin cache " + dir + ": " + e.getMessage(), e);
        }
    }

    private void fetch(String hex, Path cached, Download download) throws IOException {
        Path partial = dir.resolve(hex + PARTIAL + UUID.randomUUID());
        try {
            String actual = download.into(partial);
            if (!hex.equals(actual)) {
                throw new DigestMismatchException(hex, actual);
            }
            downloads.incrementAndGet();
            downloadedBytes.addAndGet(Files.size(partial));
            DurableFiles.moveAtomically(partial, cached);
            Files.setLastModifiedTime(cached, FileTime.from(clock.instant()));
        } finally {
            Files.deleteIfExists(partial);
        }
        evictBeyond(maxBytes);
    }

    /** Removes what every outpost holds, then what was used least recently, until the cache holds at most {@code bytes}. */
    private void evictBeyond(long bytes) throws IOException {
        List<Path> held;
        try (Stream<Path> files = Files.list(dir)) {
            held = files.filter(file -> !file.getFileName().toString().contains(PARTIAL)).toList();
        }
        long total = 0;
        for (Path file : held) {
            total += Files.size(file);
        }
        if (total <= bytes) {
            return;
        }
        Set<String> everywhere = heldEverywhere.get();
        Comparator<Path> lacked = Comparator.comparing(file -> !everywhere.contains("sha256:" + file.getFileName()));
        for (Path file : held.stream().sorted(lacked.thenComparing(OriginCache::lastUsed)).toList()) {
            if (total <= bytes) {
                return;
            }
            total -= Files.size(file);
            Files.deleteIfExists(file);
            LOG.debug("origin cache: {} evicted (held {} bytes, bound {})", file.getFileName(), total, bytes);
        }
    }

    private static FileTime lastUsed(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    /** Downloads from origins into the cache since the gateway started. */
    public long downloads() {
        return downloads.get();
    }

    public long downloadedBytes() {
        return downloadedBytes.get();
    }

    /** Answers the cache gave without a download. */
    public long hits() {
        return hits.get();
    }
}
