package io.outpost.iacworker;

import io.outpost.protocol.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** The runs of a stack, one JSON line each in {@code runs.jsonl}, appended as they finish. */
public final class RunHistory {
    private final Path file;

    public RunHistory(Path file) {
        this.file = file;
    }

    public synchronized void append(RunRecord run) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, Json.MAPPER.writeValueAsString(run) + "\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.DSYNC);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record run in " + file, e);
        }
    }

    /** The last {@code count} runs, oldest first; a torn last line (a crash mid-write) is skipped. */
    public synchronized List<RunRecord> last(int count) {
        if (!Files.exists(file)) {
            return List.of();
        }
        Deque<RunRecord> runs = new ArrayDeque<>();
        try (BufferedReader reader = Files.newBufferedReader(file)) {
            for (String line; (line = reader.readLine()) != null; ) {
                try {
                    runs.addLast(Json.MAPPER.readValue(line, RunRecord.class));
                } catch (IOException torn) {
                    continue;
                }
                if (runs.size() > count) {
                    runs.removeFirst();
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read run history " + file, e);
        }
        return List.copyOf(runs);
    }
}
