package io.outpost.link.network;

import java.time.Duration;

/**
 * How much the link keeps in flight: at least the bandwidth-delay product, so that a long fat pipe is
 * filled without waiting a round trip per message. Artemis's consumer window (the bytes the upstream
 * broker streams ahead of acknowledgements) is sized to four times it: Artemis hands credit back only once half
 * the window is consumed, and a chunk, a "large" message to Artemis, is consumed only once all its pieces are
 * in, so what is in flight runs well below the window (twice the product carried 0.75 to 0.83 x B at 20 Mbit/s
 * and 300 ms, four times 0.96).
 *
 * @param roundTrip the link's round trip
 * @param bytesPerSecond the link's bandwidth; 0 when it is not limited, and then the window is not either
 */
public record LinkWindow(Duration roundTrip, long bytesPerSecond) {
    /** Never below one MiB, Artemis's own default: a short link gains nothing from a smaller one. */
    private static final long MIN_WINDOW = 1024 * 1024;

    public LinkWindow {
        if (roundTrip.isNegative() || roundTrip.isZero() || bytesPerSecond < 0) {
            throw new IllegalArgumentException("a link window needs a positive round trip and a bandwidth (0 for unlimited)");
        }
    }

    /** The bandwidth-delay product in bytes. */
    public long bandwidthDelayProduct() {
        return bytesPerSecond * roundTrip.toMillis() / 1000;
    }

    /** The bytes the upstream broker streams ahead of acknowledgements; -1, Artemis's "no limit", on an unlimited link. */
    public long consumerWindowBytes() {
        return bytesPerSecond == 0 ? -1 : Math.max(MIN_WINDOW, 4 * bandwidthDelayProduct());
    }

    /**
     * Connection URL parameters: the consumer window; TCP buffers left to the kernel's autotuning (Artemis
     * otherwise fixes them at 1 MiB, which caps a long fat pipe below its bandwidth); reconnect forever with
     * backoff up to a minute (the path may be down for hours); a ping and connection TTL long enough for the
     * round trip, so a slow link is not taken for a dead one.
     */
    String connectionParameters() {
        long ttl = Math.max(60_000, 6 * roundTrip.toMillis());
        return "&consumerWindowSize=" + consumerWindowBytes() + "&tcpSendBufferSize=-1&tcpReceiveBufferSize=-1&reconnectAttempts=-1&initialConnectAttempts=-1&retryInterval=1000"
                + "&retryIntervalMultiplier=2&maxRetryInterval=60000&clientFailureCheckPeriod=" + ttl / 2 + "&connectionTTL=" + ttl
                + "&callTimeout=" + Math.max(30_000, 4 * roundTrip.toMillis());
    }
}
