package io.outpost.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses what operators type: durations like {@code 200ms 5s 2m 1h30m}, bandwidths like {@code 2Mbit 512kbit 1MB unlimited}. */
public final class Quantities {
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");
    private static final Pattern BANDWIDTH = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(bit|kbit|mbit|gbit|b|kb|mb|gb)(?:/s|ps)?");

    private Quantities() {
    }

    public static Duration duration(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        Matcher part = DURATION_PART.matcher(value);
        Duration total = Duration.ZERO;
        int end = 0;
        while (part.find() && part.start() == end) {
            double amount = Double.parseDouble(part.group(1));
            long millis = switch (part.group(2)) {
                case "ms" -> 1;
                case "s" -> 1_000;
                case "m" -> 60_000;
                case "h" -> 3_600_000;
                default -> 86_400_000;
            };
            total = total.plusMillis(Math.round(amount * millis));
            end = part.end();
        }
        if (end == 0 || end != value.length()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration: use e.g. 200ms, 5s, 2m, 1h30m");
        }
        return total;
    }

    /** Bytes per second; 0 for unlimited. Bits are per second ({@code 2Mbit}), bytes too ({@code 1MB}). */
    public static long bandwidth(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.equals("unlimited") || value.equals("0")) {
            return 0;
        }
        Matcher matcher = BANDWIDTH.matcher(value);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a bandwidth: use e.g. 2Mbit, 512kbit, 1MB or unlimited");
        }
        double amount = Double.parseDouble(matcher.group(1));
        double bytesPerSecond = switch (matcher.group(2)) {
            case "bit" -> amount / 8;
            case "kbit" -> amount * 1_000 / 8;
            case "mbit" -> amount * 1_000_000 / 8;
            case "gbit" -> amount * 1_000_000_000 / 8;
            case "b" -> amount;
            case "kb" -> amount * 1_000;
            case "mb" -> amount * 1_000_000;
            default -> amount * 1_000_000_000;
        };
        return Math.max(1, Math.round(bytesPerSecond));
    }
}
