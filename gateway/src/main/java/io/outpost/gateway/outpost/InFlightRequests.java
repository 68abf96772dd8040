package io.outpost.gateway.outpost;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Requests sent over the link and not yet answered, by what they ask for. Identical requests while one
 * is in flight coalesce into it; one unanswered for longer than {@code resendAfter} may be sent again.
 */
public final class InFlightRequests {
    private final Clock clock;
    private final Duration resendAfter;
    private final Map<String, Instant> sentAt = new HashMap<>();

    public InFlightRequests(Clock clock, Duration resendAfter) {
        this.clock = clock;
        this.resendAfter = resendAfter;
    }

    /** True when the caller should send a request for {@code key}; false when one is already on its way. */
    public synchronized boolean start(String key) {
        Instant now = clock.instant();
        Instant previous = sentAt.get(key);
        if (previous != null && now.isBefore(previous.plus(resendAfter))) {
            return false;
        }
        sentAt.put(key, now);
        return true;
    }

    /** Marks {@code key} answered; returns how long the answer took when a request was in flight. */
    public synchronized Optional<Duration> finish(String key) {
        Instant previous = sentAt.remove(key);
        return previous == null ? Optional.empty() : Optional.of(Duration.between(previous, clock.instant()));
    }

    public static String gitKey(String repo) {
        return "git:" + repo;
    }

    public static String imageKey(String subject) {
        return "image:" + subject;
    }

    public synchronized int size() {
        return sentAt.size();
    }
}
