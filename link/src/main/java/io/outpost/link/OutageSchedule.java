package io.outpost.link;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When the link is up. Either periodic — {@code "up 40s every 60s"}: up for 40 s, then down for 20 s,
 * cycles counted from the Unix epoch so a restarted simulator keeps the same schedule — or a list of
 * down intervals, {@code "down 2026-11-23T10:00:00Z+30m, 2026-11-23T12:00:00Z+1h"}.
 */
public final class OutageSchedule {
    private static final Pattern PERIODIC = Pattern.compile("up\\s+(\\S+)\\s+every\\s+(\\S+)");
    private static final Pattern INTERVAL = Pattern.compile("(\\S+)\\+(\\S+)");

    private final Duration up;
    private final Duration period;
    private final List<Instant[]> downs;
    private final String text;

    private OutageSchedule(Duration up, Duration period, List<Instant[]> downs, String text) {
        this.up = up;
        this.period = period;
        this.downs = downs;
        this.text = text;
    }

    public static OutageSchedule alwaysUp() {
        return new OutageSchedule(null, null, List.of(), "always up");
    }

    /** @param durations how durations are written ("40s", "1h30m") */
    public static OutageSchedule parse(String text, Function<String, Duration> durations) {
        String value = text.trim();
        Matcher periodic = PERIODIC.matcher(value);
        if (periodic.matches()) {
            Duration up = durations.apply(periodic.group(1));
            Duration period = durations.apply(periodic.group(2));
            if (up.isZero() || up.compareTo(period) > 0) {
                throw new IllegalArgumentException("'" + text + "': the link must be up for a part of each period");
            }
            return new OutageSchedule(up, period, List.of(), value);
        }
        if (value.startsWith("down ")) {
            List<Instant[]> downs = new ArrayList<>();
            for (String part : value.substring(5).split(",")) {
                Matcher interval = INTERVAL.matcher(part.trim());
                if (!interval.matches()) {
                    throw new IllegalArgumentException("'" + part.trim() + "' is not an outage: write START+DURATION, e.g. 2026-11-23T10:00:00Z+30m");
                }
                try {
                    Instant from = Instant.parse(interval.group(1));
                    downs.add(new Instant[] {from, from.plus(durations.apply(interval.group(2)))});
                } catch (DateTimeParseException e) {
                    throw new IllegalArgumentException("'" + interval.group(1) + "' is not an ISO-8601 instant");
                }
            }
            downs.sort(Comparator.comparing(interval -> interval[0]));
            return new OutageSchedule(null, null, List.copyOf(downs), value);
        }
        throw new IllegalArgumentException("'" + text + "' is not an outage schedule: write 'up 40s every 60s' or 'down START+DURATION, ...'");
    }

    public boolean isUp(Instant at) {
        return nextUp(at).equals(at);
    }

    /** {@code at} when the link is up then, else when it next comes up. */
    public Instant nextUp(Instant at) {
        if (period != null) {
            long into = Math.floorMod(at.toEpochMilli(), period.toMillis());
            return into < up.toMillis() ? at : at.plusMillis(period.toMillis() - into);
        }
        Instant t = at;
        for (Instant[] down : downs) {
            if (!t.isBefore(down[0]) && t.isBefore(down[1])) {
                t = down[1];
            }
        }
        return t;
    }

    /** When the up window containing {@code at} (which must be up) ends; empty when it never does. */
    public Optional<Instant> upUntil(Instant at) {
        if (period != null) {
            long into = Math.floorMod(at.toEpochMilli(), period.toMillis());
            return Optional.of(at.plusMillis(up.toMillis() - into));
        }
        return downs.stream().map(down -> down[0]).filter(start -> start.isAfter(at)).findFirst();
    }

    @Override
    public String toString() {
        return text;
    }
}
