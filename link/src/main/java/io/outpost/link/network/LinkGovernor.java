package io.outpost.link.network;

import io.outpost.link.LinkDirection;
import io.outpost.link.OutageSchedule;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/**
 * What the operator lets the real link carry, and when, as operators of metered satellite links ask: a rate
 * cap each way and send windows (messages go only while the pass is up). Pure: before each put the relay asks
 * how long to wait, after it says what it sent; the relay does the waiting.
 */
public final class LinkGovernor {
    private final OutageSchedule windows;
    private final Map<LinkDirection, TokenBucket> buckets = new EnumMap<>(LinkDirection.class);

    /**
     * @param rateCaps bytes per second each way; a direction not named is not capped
     * @param windows when the link may send
     */
    private LinkGovernor(Map<LinkDirection, Long> rateCaps, OutageSchedule windows) {
        this.windows = windows;
        rateCaps.forEach((direction, rate) -> {
            if (rate <= 0) {
                throw new IllegalArgumentException("a rate cap is a positive number of bytes per second, not " + rate);
            }
            buckets.put(direction, new TokenBucket(rate));
        });
    }

    /** No cap, always up: the link sends as fast as the path takes it. */
    public static LinkGovernor unlimited() {
        return of(Map.of(), OutageSchedule.alwaysUp());
    }

    public static LinkGovernor of(Map<LinkDirection, Long> rateCaps, OutageSchedule windows) {
        return new LinkGovernor(rateCaps, windows);
    }

    /** Whether the link may send at {@code now}, for the link's gauges. */
    public boolean windowOpen(Instant now) {
        return windows.isUp(now);
    }

    /** How long a message of {@code bytes} going {@code direction} must wait at {@code now}; zero when it may go. */
    public synchronized Duration waitBefore(LinkDirection direction, long bytes, Instant now) {
        if (!windows.isUp(now)) {
            return Duration.between(now, windows.nextUp(now));
        }
        TokenBucket bucket = buckets.get(direction);
        return bucket == null ? Duration.ZERO : bucket.waitBefore(now);
    }

    /** The relay put {@code bytes} going {@code direction} at {@code now}. */
    public synchronized void sent(LinkDirection direction, long bytes, Instant now) {
        TokenBucket bucket = buckets.get(direction);
        if (bucket != null) {
            bucket.spend(bytes, now);
        }
    }

    /**
     * Bytes may go while the bucket is not in debt; a message spends its size and may leave it in debt, so one
     * larger than a second's worth still goes, and the ones after it wait until the debt is paid back. At most
     * a second's worth builds up while the link is idle.
     */
    private static final class TokenBucket {
        private final long bytesPerSecond;
        private double tokens;
        private Instant filledAt;

        TokenBucket(long bytesPerSecond) {
            this.bytesPerSecond = bytesPerSecond;
            this.tokens = bytesPerSecond;
        }

        Duration waitBefore(Instant now) {
            fill(now);
            return tokens >= 0 ? Duration.ZERO : Duration.ofNanos((long) Math.ceil(-tokens * 1e9 / bytesPerSecond));
        }

        void spend(long bytes, Instant now) {
            fill(now);
            tokens -= bytes;
        }

        private void fill(Instant now) {
            if (filledAt != null && now.isAfter(filledAt)) {
                tokens = Math.min(bytesPerSecond, tokens + Duration.between(filledAt, now).toNanos() * bytesPerSecond / 1e9);
            }
            filledAt = filledAt == null || now.isAfter(filledAt) ? now : filledAt;
        }
    }
}
