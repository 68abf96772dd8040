package io.outpost.protocol.transfer;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** How far an incoming transfer has come, measured from what is on disk. */
public record TransferProgress(String transferId, String carriedType, long size, long receivedBytes, int chunks, int missingChunks,
                               Instant firstChunkAt, Instant lastChunkAt) {

    /** Bytes per second so far; empty until two moments apart are known. */
    public Optional<Double> rate() {
        long millis = Duration.between(firstChunkAt, lastChunkAt).toMillis();
        return millis <= 0 ? Optional.empty() : Optional.of(receivedBytes * 1000.0 / millis);
    }

    public Optional<Duration> eta() {
        return rate().filter(rate -> rate > 0).map(rate -> Duration.ofMillis((long) ((size - receivedBytes) * 1000 / rate)));
    }
}
