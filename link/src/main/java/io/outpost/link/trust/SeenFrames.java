package io.outpost.link.trust;

import io.outpost.data.DurableFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The frames this site accepted that are still inside the replay window, by signature, so that the same
 * frame sent again is refused. Kept in {@code seen-frames.log} (one line per frame, pruned at start), so a
 * restart does not open the window again; a line lost in a crash lets at most that frame through twice,
 * which the flows tolerate anyway (they are idempotent). Beside it, {@code seen-frames.log.mark} keeps a
 * high-water mark: when the newest frame accepted stops being remembered (written at most once a second). If the
 * log is lost or garbled, every frame signed before that mark is refused as a possible replay, once, with a
 * warning naming the file: the window is not opened again. (Frames signed earlier and never accepted are then
 * lost; the transfers report what they lack, requests are sent again.)
 */
public final class SeenFrames implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SeenFrames.class);
    private static final long MARK_EVERY_NANOS = 1_000_000_000L;

    private final Map<String, Instant> seen = new HashMap<>();
    private final BufferedWriter log;
    private final Path markFile;
    /** Frames remembered until this or earlier are refused: the log that knew them was lost. */
    private final Instant floor;
    private Instant mark;
    private long markWritten = System.nanoTime() - MARK_EVERY_NANOS;

    public SeenFrames(Path file, Instant now) {
        this.markFile = file.resolveSibling(file.getFileName() + ".mark");
        try {
            Files.createDirectories(file.getParent());
            int garbled = 0;
            if (Files.exists(file)) {
                String text = Files.readString(file, StandardCharsets.ISO_8859_1);
                // a last line without its newline is a write a crash cut short, not a garbled log
                String[] split = text.split("\n", -1);
                List<String> lines = List.of(split).subList(0, split.length - 1);
                for (String line : lines) {
                    String[] parts = line.split(" ");
                    if (parts.length == 2 && parts[0].matches("\\d{1,19}")) {
                        Instant until = Instant.ofEpochMilli(Long.parseLong(parts[0]));
                        if (until.isAfter(now)) {
                            seen.put(parts[1], until);
                        }
                    } else if (!line.isEmpty()) {
                        garbled++;
                    }
                }
            }
            mark = readMark();
            boolean lost = !Files.exists(file) || garbled > 0;
            floor = lost && mark.isAfter(now) ? mark : Instant.MIN;
            if (floor != Instant.MIN) {
                LOG.warn("the seen-frames log {} was {}: the frames it knew are not known one by one, so every frame no newer than the newest"
                        + " it knew (whose replay window ends {}) is refused as a possible replay; what is lost that way is sent again", file,
                        Files.exists(file) ? garbled + " garbled lines" : "missing", floor);
            }
            StringBuilder kept = new StringBuilder();
            seen.forEach((key, until) -> kept.append(until.toEpochMilli()).append(' ').append(key).append('\n'));
            Files.writeString(file, kept, StandardCharsets.US_ASCII);
            log = Files.newBufferedWriter(file, StandardCharsets.US_ASCII, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        }
    }

    /** True when {@code key} was accepted, or when a frame to be remembered {@code until} then is older than what a lost log knew. */
    public synchronized boolean contains(String key, Instant until, Instant now) {
        Instant known = seen.get(key);
        return known != null && known.isAfter(now) || !until.isAfter(floor);
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
        if (until.isAfter(mark)) {
            mark = until;
            if (System.nanoTime() - markWritten >= MARK_EVERY_NANOS) {
                writeMark();
            }
        }
    }

    private Instant readMark() throws IOException {
        String text = Files.exists(markFile) ? Files.readString(markFile, StandardCharsets.US_ASCII).strip() : "";
        return text.matches("\\d{1,19}") ? Instant.ofEpochMilli(Long.parseLong(text)) : Instant.MIN;
    }

    private void writeMark() {
        DurableFiles.writeAtomically(markFile, Long.toString(mark.toEpochMilli()).getBytes(StandardCharsets.US_ASCII));
        markWritten = System.nanoTime();
    }

    public synchronized int size() {
        return seen.size();
    }

    @Override
    public synchronized void close() {
        try {
            if (mark != Instant.MIN) {
                writeMark();
            }
            log.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the seen-frames log", e);
        }
    }
}
