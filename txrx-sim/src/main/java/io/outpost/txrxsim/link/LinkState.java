package io.outpost.txrxsim.link;

import com.fasterxml.jackson.databind.JsonNode;
import io.outpost.data.DataDirectory;
import io.outpost.link.OutageSchedule;
import io.outpost.protocol.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The link as an operator sees it: its settings (kept in {@code DATA/link/settings.json} by the running
 * simulator) and whether it is up now, and until when.
 */
public record LinkState(String settings, boolean up, Optional<Instant> changesAt) {

    static void record(DataDirectory data, LinkSettings settings) {
        try {
            Files.createDirectories(data.link());
            Json.MAPPER.writeValue(data.linkSettings().toFile(), Map.of(
                    "describe", settings.describe(), "windows", settings.windows().toString()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record link settings in " + data.linkSettings(), e);
        }
    }

    /** What {@code DATA/link} says about the link at {@code now}; empty when no simulator ever ran there. */
    public static Optional<LinkState> read(DataDirectory data, Instant now, Function<String, Duration> durations) {
        Path file = data.linkSettings();
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            JsonNode settings = Json.MAPPER.readTree(file.toFile());
            String windowsText = settings.path("windows").asText("always up");
            OutageSchedule windows = windowsText.equals(OutageSchedule.alwaysUp().toString())
                    ? OutageSchedule.alwaysUp() : OutageSchedule.parse(windowsText, durations);
            boolean up = windows.isUp(now);
            return Optional.of(new LinkState(settings.path("describe").asText(), up, up ? windows.upUntil(now) : Optional.of(windows.nextUp(now))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read link settings " + file, e);
        }
    }
}
