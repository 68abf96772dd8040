package io.outpost.txrxsim.link;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;

/**
 * When each message sent in one direction arrives: it waits for the link to be free and up, occupies
 * it for size / bandwidth (a transmission that would run into an outage waits for the next window),
 * then propagates for delay + jitter. Arrivals never overtake one another, except a message held back
 * on purpose to simulate reordering.
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
        Duration transmission = transmission(bytes);
        Instant start = settings.windows().nextUp(now.isAfter(busyUntil) ? now : busyUntil);
        Instant windowEnd = settings.windows().upUntil(start).orElse(Instant.MAX);
        if (start.plus(transmission).isAfter(windowEnd)) {
            start = settings.windows().nextUp(windowEnd);
        }
        busyUntil = start.plus(transmission);
        long jitterNanos = settings.jitter().isZero() ? 0 : (long) (random.nextDouble() * settings.jitter().toNanos());
        Instant arrival = busyUntil.plus(settings.delay()).plusNanos(jitterNanos);
        if (arrival.isBefore(lastArrival)) {
            arrival = lastArrival;
        }
        lastArrival = arrival;
        return arrival;
    }

    /** A late arrival for a message held back behind later ones: up to two more one-way delays, order not kept. */
    public synchronized Instant heldBack(Instant arrival) {
        long extra = 1 + (long) (random.nextDouble() * Math.max(1, settings.delay().multipliedBy(2).toMillis()));
        return arrival.plusMillis(extra);
    }

    private Duration transmission(long bytes) {
        return settings.bytesPerSecond() == 0 ? Duration.ZERO
                : Duration.ofNanos((long) (bytes * 1_000_000_000.0 / settings.bytesPerSecond()));
    }
}
