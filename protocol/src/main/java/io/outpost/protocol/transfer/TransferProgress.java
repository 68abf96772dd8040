package io.outpost.protocol.transfer;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How far an incoming transfer has come, measured from what is on disk; {@code waiting} when the receiver has no room
 * for the rest (and the transfer does not move until it has).
 */
public record TransferProgress(String transferId, String carriedType, long size, long receivedBytes, int chunks, int missingChunks,
                               Instant firstChunkAt, Instant lastChunkAt, @JsonInclude(JsonInclude.Include.NON_NULL) TransferReport.Paused waiting) {

    /** Bytes per second so far; empty until two moments apart are known, and while the transfer waits for room. */
    public Optional<Double> rate() {
        long millis = Duration.between(firstChunkAt, lastChunkAt).toMillis();
        return millis <= 0 || waiting != null ? Optional.empty() : Optional.of(receivedBytes * 1000.0 / millis);
    }

    /** Empty while nothing says when it will be done: no rate yet, or waiting for room. */
    public Optional<Duration> eta() {
        return rate().filter(rate -> rate > 0).map(rate -> Duration.ofMillis((long) ((size - receivedBytes) * 1000 / rate)));
    }
}
