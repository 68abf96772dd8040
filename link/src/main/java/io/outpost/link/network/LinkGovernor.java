package io.outpost.link.network;

import io.outpost.data.DurableFiles;
import io.outpost.link.LinkDirection;
import io.outpost.link.OutageSchedule;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the operator lets the real link carry, and when, as operators of metered satellite links ask: a rate
 * cap each way, send windows (messages go only while the pass is up) and a daily byte budget, after which bulk
 * (image content) waits for the next UTC day while config and control still move. Before each put the relay
 * asks how long to wait, after it says what it sent; the relay does the waiting. What the day has spent is kept
 * in a file, so a restart does not start the day afresh.
 */
public final class LinkGovernor {
    private static final Logger LOG = LoggerFactory.getLogger(LinkGovernor.class);
    private final OutageSchedule windows;
    private final Map<LinkDirection, TokenBucket> buckets = new EnumMap<>(LinkDirection.class);
    private final long dailyBudget;
    private final Path spentFile;
    private LocalDate day;
    private long spentToday;

    /**
     * @param rateCaps bytes per second each way; a direction not named is not capped
     * @param windows when the link may send
     */
    private LinkGovernor(Map<LinkDirection, Long> rateCaps, OutageSchedule windows, long dailyBudget, Path spentFile) {
        this.windows = windows;
        this.dailyBudget = dailyBudget;
        this.spentFile = spentFile;
        if (dailyBudget < 0) {
            throw new IllegalArgumentException("a daily budget is a number of bytes, 0 for none, not " + dailyBudget);
        }
        readSpent();
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
        return new LinkGovernor(rateCaps, windows, 0, null);
    }

    /**
     * @param dailyBudget bytes both ways per UTC day after which bulk waits; 0 for none
     * @param spentFile where what the day has spent is kept
     */
    public static LinkGovernor of(Map<LinkDirection, Long> rateCaps, OutageSchedule windows, long dailyBudget, Path spentFile) {
        return new LinkGovernor(rateCaps, windows, dailyBudget, spentFile);
    }

    /** Bytes the budget has left today; -1 without a budget. */
    public synchronized long budgetLeft(Instant now) {
        return dailyBudget == 0 ? -1 : Math.max(0, dailyBudget - spent(now));
    }

    /** Whether the link may send at {@code now}, for the link's gauges. */
    public boolean windowOpen(Instant now) {
        return windows.isUp(now);
    }

    /** How long a message of {@code bytes} going {@code direction} must wait at {@code now}; zero when it may go. */
    public synchronized Duration waitBefore(LinkDirection direction, long bytes, Instant now) {
        return waitBefore(direction, bytes, false, now);
    }

    /** The same for a message that is {@code bulk} or not: bulk also waits while the day's budget is spent. */
    public synchronized Duration waitBefore(LinkDirection direction, long bytes, boolean bulk, Instant now) {
        if (!windows.isUp(now)) {
            return Duration.between(now, windows.nextUp(now));
        }
        if (bulk && dailyBudget > 0 && spent(now) >= dailyBudget) {
            return Duration.between(now, now.atOffset(ZoneOffset.UTC).toLocalDate().plusDays(1).atStartOfDay().toInstant(ZoneOffset.UTC));
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
        if (dailyBudget > 0) {
            spentToday = spent(now) + bytes;
            writeSpent();
        }
    }

    private long spent(Instant now) {
        LocalDate today = now.atOffset(ZoneOffset.UTC).toLocalDate();
        if (!today.equals(day)) {
            day = today;
            spentToday = 0;
        }
        return spentToday;
    }

    /** "DAY BYTES"; unreadable, the day starts afresh and the log says so (the link may then overspend it once). */
    private void readSpent() {
        if (spentFile == null || !Files.exists(spentFile)) {
            return;
        }
        try {
            String[] fields = Files.readString(spentFile, StandardCharsets.US_ASCII).strip().split(" ");
            day = LocalDate.parse(fields[0]);
            spentToday = Long.parseLong(fields[1]);
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot read what the link spent today from {} ({}); counting the day from 0", spentFile, e.getMessage());
            day = null;
            spentToday = 0;
        }
    }

    private void writeSpent() {
        if (spentFile != null) {
            DurableFiles.writeAtomically(spentFile, (day + " " + spentToday).getBytes(StandardCharsets.US_ASCII));
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
