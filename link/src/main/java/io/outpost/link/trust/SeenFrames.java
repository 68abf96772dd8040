package io.outpost.link.trust;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The frames this site accepted that are still inside the replay window, by signature, so that the same
 * frame sent again is refused. Kept in {@code seen-frames.log} (one line per frame, pruned at start), so a
 * restart does not open the window again; a line lost in a crash lets at most that frame through twice,
 * which the flows tolerate anyway (they are idempotent).
 */
public final class SeenFrames implements AutoCloseable {
    private final Map<String, Instant> seen = new HashMap<>();
    private final BufferedWriter log;

    public SeenFrames(Path file, Instant now) {
        try {
            Files.createDirectories(file.getParent());
            if (Files.exists(file)) {
                for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                    String[] parts = line.split(" ");
                    if (parts.length == 2 && parts[0].matches("\\d{1,19}")) {
                        Instant until = Instant.ofEpochMilli(Long.parseLong(parts[0]));
                        if (until.isAfter(now)) {
                            seen.put(parts[1], until);
                        }
                    }
                }
            }
            StringBuilder kept = new StringBuilder();
            seen.forEach((key, until) -> kept.append(until.toEpochMilli()).append(' ').append(key).append('\n'));
            Files.writeString(file, kept, StandardCharsets.US_ASCII);
            log = Files.newBufferedWriter(file, StandardCharsets.US_ASCII, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        }
    }

    public synchronized boolean contains(String key, Instant now) {
        Instant until = seen.get(key);
        return until != null && until.isAfter(now);
    }

    /** Remembers {@code key} until {@code until}. */
    public synchronized void add(String key, Instant until) {
        seen.put(key, until);
        try {
            log.write(until.toEpochMilli() + " " + key + "\n");
            log.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record a seen frame", e);
        }
    }

    public synchronized int size() {
        return seen.size();
    }

    @Override
    public synchronized void close() {
        try {
            log.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the seen-frames log", e);
        }
    }
}
