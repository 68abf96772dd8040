package io.outpost.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** State kept in files so that a process killed at any point finds either the old or the new content. */
public final class DurableFiles {
    /** One monitor per locked directory: a JVM holds a file lock once, so its own threads take turns first. */
    private static final Map<Path, Object> LOCKS = new ConcurrentHashMap<>();
    private static final FileAttribute<?> OWNER_ONLY = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    private DurableFiles() {
    }

    /** What {@link #exclusively} runs: reads or creates state, and may fail as file work does. */
    @FunctionalInterface
    public interface StateWork<T> {
        T run() throws IOException, GeneralSecurityException;
    }

    /**
     * Runs {@code work} holding {@code dir}'s lock (a {@code .lock} file in it) against other processes and other
     * threads: gateways sharing a data directory must not each create a site's key or CA, or one would serve
     * with a key the others' clients do not trust.
     */
    public static <T> T exclusively(Path dir, StateWork<T> work) throws IOException, GeneralSecurityException {
        Files.createDirectories(dir);
        Object monitor = LOCKS.computeIfAbsent(dir.toAbsolutePath().normalize(), key -> new Object());
        synchronized (monitor) {
            try (FileChannel channel = FileChannel.open(dir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                FileLock lock = channel.lock();
                try {
                    return work.run();
                } finally {
                    lock.release();
                }
            }
        }
    }

    /** Replaces {@code target} with {@code bytes}: written to a sibling, forced to disk, then moved over it. */
    public static void writeAtomically(Path target, byte[] bytes) {
        write(target, bytes, false);
    }

    /**
     * As {@link #writeAtomically}, for a key or password: readable and writable by its owner only, from
     * the moment it is created (not changed after, when another user may already have opened it).
     */
    public static void writeSecret(Path target, byte[] bytes) {
        write(target, bytes, true);
    }

    /**
     * The random password kept in {@code file}, created (owner-only, 24 random bytes as URL-safe base64)
     * when it does not exist yet.
     */
    public static String readOrCreateSecret(Path file) {
        try {
            if (!Files.exists(file)) {
                byte[] secret = new byte[24];
                new SecureRandom().nextBytes(secret);
                writeSecret(file, Base64.getUrlEncoder().withoutPadding().encode(secret));
            }
            return Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the password in " + file + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path target, byte[] bytes, boolean secret) {
        try {
            Files.createDirectories(target.getParent());
            Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
            if (secret) {
                // created afresh with the owner-only mode: a sibling a crash left behind may have another
                Files.deleteIfExists(tmp);
            }
            try (FileChannel out = secret ? FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), OWNER_ONLY)
                    : FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                out.write(ByteBuffer.wrap(bytes));
                out.force(false);
            }
            moveAtomically(tmp, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    /** Moves {@code tmp} onto {@code target} in one step where the file system can (the same directory's can). */
    public static void moveAtomically(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** Copies {@code source} to {@code target}, streamed: {@code target} appears complete or not at all. */
    public static void copyAtomically(Path source, Path target) {
        try {
            Files.createDirectories(target.getParent());
            Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
            Files.copy(source, tmp, StandardCopyOption.REPLACE_EXISTING);
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                out.force(false);
            }
            moveAtomically(tmp, target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    /** Sets {@code file}'s modification time to {@code at}, creating it empty if needed: a timestamp on disk. */
    public static void touch(Path file, Instant at) {
        try {
            if (!Files.exists(file)) {
                Files.write(file, new byte[0]);
            }
            Files.setLastModifiedTime(file, FileTime.from(at));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Deletes {@code root} and everything under it; nothing when it does not exist. */
    public static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
