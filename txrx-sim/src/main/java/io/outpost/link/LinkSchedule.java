package io.outpost.link;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;

/**
 * When each message sent in one direction arrives: it waits for the link to be free, occupies it for
 * size / bandwidth, then propagates for delay + jitter. Arrivals never overtake one another.
 */
public final class LinkSchedule {
    private final LinkSettings settings;
    private final Clock clock;
    private final Random random;
    private Instant busyUntil = Instant.MIN;
    private Instant lastArrival = Instant.MIN;

    public LinkSchedule(LinkSettings settings, Clock clock, Random random) {
        this.settings = settings;
        this.clock = clock;
        this.random = random;
    }

    public synchronized Instant arrivalOf(long bytes) {
        Instant now = clock.instant();
        Instant start = now.isAfter(busyUntil) ? now : busyUntil;
        busyUntil = start.plus(transmission(bytes));
        long jitterNanos = settings.jitter().isZero() ? 0 : (long) (random.nextDouble() * settings.jitter().toNanos());
        Instant arrival = busyUntil.plus(settings.delay()).plusNanos(jitterNanos);
        if (arrival.isBefore(lastArrival)) {
            arrival = lastArrival;
        }
        lastArrival = arrival;
        return arrival;
    }

    private Duration transmission(long bytes) {
        return settings.bytesPerSecond() == 0 ? Duration.ZERO
                : Duration.ofNanos((long) (bytes * 1_000_000_000.0 / settings.bytesPerSecond()));
    }
}
