package io.outpost.events;

import java.time.Duration;

/** Human-readable byte counts and durations for operator lines. */
public final class Sizes {
    private Sizes() {
    }

    public static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format("%.1f %s", value, units[unit]);
    }

    public static String duration(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 10_000) {
            return String.format("%.1fs", millis / 1000.0);
        }
        long seconds = duration.toSeconds();
        return seconds < 120 ? seconds + "s" : (seconds / 60) + "m" + (seconds % 60) + "s";
    }
}
