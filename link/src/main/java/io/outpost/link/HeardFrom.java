package io.outpost.link;

import io.outpost.data.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * When a site last accepted a frame from the other, and how many it accepted: what the fleet's status says of each outpost
 * ("last heard"). Kept as a file's modification time, written at most every {@link #WRITE_EVERY}, so that it survives a
 * restart and another process (the status command, a second gateway) reads it.
 */
public final class HeardFrom {
    static final Duration WRITE_EVERY = Duration.ofSeconds(5);

    private final Path file;
    private final Clock clock;
    private final AtomicLong frames = new AtomicLong();
    private volatile Instant written = Instant.MIN;

    HeardFrom(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
    }

    void frame() {
        frames.incrementAndGet();
        Instant now = clock.instant();
        if (written.plus(WRITE_EVERY).isBefore(now)) {
            written = now;
            try {
                Files.createDirectories(file.getParent());
                DurableFiles.touch(file, now);
            } catch (IOException | UncheckedIOException e) {
                // a status hint only: the frame is applied all the same, and the next one tries again
                written = Instant.MIN;
            }
        }
    }

    long frames() {
        return frames.get();
    }

    /** When a frame was last accepted, as {@code file} (a link's {@code last-heard}) says; empty when none ever was. */
    public static Optional<Instant> lastHeard(Path file) {
        try {
            return Files.exists(file) ? Optional.of(Files.getLastModifiedTime(file)).map(FileTime::toInstant) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
