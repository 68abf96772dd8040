package io.outpost.gateway.holdings;

import io.outpost.data.DurableFiles;
import io.outpost.protocol.Holdings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A numbered record of changes to an outpost's {@link Holdings}, one file: a first line
 * {@code holdings EPOCH}, then one change per line ({@code +ITEM}, {@code -ITEM}); position N is the set after
 * the first N changes. The outpost keeps its own; upstream keeps a copy as its ledger. A change is appended
 * (O(1) on disk, flushed); only a truncation or a new epoch rewrites the file. A last line cut short by a
 * crash is dropped when the file is read.
 */
public final class HoldingsJournal {
    private static final String HEADER = "holdings ";

    private final Path file;
    private final String epoch;
    private final List<String> changes;
    private Set<String> held;
    /** The file's size as this journal wrote or read it: another size is another writer's. */
    private long bytes;

    private HoldingsJournal(Path file, String epoch, List<String> changes, long bytes) {
        this.file = file;
        this.epoch = epoch;
        this.changes = changes;
        this.held = Holdings.apply(Set.of(), changes);
        this.bytes = bytes;
    }

    /** A new journal of {@code epoch} that starts with {@code changes}, replacing any file there. */
    public static HoldingsJournal create(Path file, String epoch, List<String> changes) {
        StringBuilder text = new StringBuilder(HEADER).append(epoch).append('\n');
        changes.forEach(change -> text.append(Holdings.requireChange(change)).append('\n'));
        byte[] content = text.toString().getBytes(StandardCharsets.UTF_8);
        DurableFiles.writeAtomically(file, content);
        return new HoldingsJournal(file, epoch, new ArrayList<>(changes), content.length);
    }

    /**
     * The journal in {@code file}; empty when there is none. A file that is not a journal throws
     * {@link IllegalArgumentException} naming the file and line: both sides can start afresh from what
     * they hold or know, so callers replace it rather than stop.
     */
    public static Optional<HoldingsJournal> read(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read holdings record " + file, e);
        }
        int complete = lastNewline(content) + 1;
        String[] lines = new String(content, 0, complete, StandardCharsets.UTF_8).split("\n", -1);
        if (lines.length < 2 || !lines[0].startsWith(HEADER)) {
            throw new IllegalArgumentException(file + ":1: not a holdings record (expected 'holdings EPOCH')");
        }
        List<String> changes = new ArrayList<>();
        for (int i = 1; i < lines.length - 1; i++) {
            try {
                changes.add(Holdings.requireChange(lines[i]));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return Optional.of(new HoldingsJournal(file, lines[0].substring(HEADER.length()).strip(), changes, complete));
    }

    public String epoch() {
        return epoch;
    }

    /** The position after the last change. */
    public long size() {
        return changes.size();
    }

    /** What is held at the last position. */
    public Set<String> held() {
        return new TreeSet<>(held);
    }

    /** What was held at {@code position}. */
    public Set<String> heldAt(long position) {
        return position == changes.size() ? held() : Holdings.apply(Set.of(), changes.subList(0, (int) position));
    }

    /** The changes after {@code position}. */
    public List<String> since(long position) {
        return List.copyOf(changes.subList((int) position, changes.size()));
    }

    /** True when another writer changed the file since this journal read or wrote it. */
    public boolean changedOnDisk() {
        try {
            return !Files.exists(file) || Files.size(file) != bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read holdings record " + file, e);
        }
    }

    /** Appends {@code more} to the file, flushed to disk, and to this journal. */
    public void append(List<String> more) {
        if (more.isEmpty()) {
            return;
        }
        StringBuilder text = new StringBuilder();
        more.forEach(change -> text.append(Holdings.requireChange(change)).append('\n'));
        byte[] content = text.toString().getBytes(StandardCharsets.UTF_8);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            // a last line cut short by a crash is overwritten, not continued
            channel.truncate(bytes);
            channel.position(bytes);
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to holdings record " + file, e);
        }
        bytes += content.length;
        changes.addAll(more);
        held = Holdings.apply(held, more);
    }

    /** Keeps only the first {@code position} changes (the file is rewritten). */
    public HoldingsJournal truncate(long position) {
        return create(file, epoch, changes.subList(0, (int) position));
    }

    private static int lastNewline(byte[] content) {
        for (int i = content.length - 1; i >= 0; i--) {
            if (content[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
