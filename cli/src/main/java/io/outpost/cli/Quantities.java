package io.outpost.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses what operators type: durations like {@code 200ms 5s 2m 1h30m}, bandwidths like {@code 2Mbit 512kbit 1MB unlimited}. */
public final class Quantities {
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");
    /** A number, a decimal prefix, then bits ({@code bit}, {@code bps}, {@code b}) or bytes ({@code B}), optionally "/s". */
    private static final Pattern BANDWIDTH = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kKmMgG]?)((?i:bit|bps)|b|B)(?:/s)?");

    /** A number of bytes, with an optional decimal ({@code kB MB GB}) or binary ({@code KiB MiB GiB}) unit. */
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kKmMgGtT]?)(i?)B?");

    private Quantities() {
    }

    /** Bytes: {@code 500MB}, {@code 5GB}, {@code 1.5GiB}, {@code 1000}. */
    public static long size(String text) {
        Matcher matcher = SIZE.matcher(text.trim());
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size: use e.g. 500MB, 5GB or 1.5GiB");
        }
        int power = " kmgt".indexOf(matcher.group(2).toLowerCase(Locale.ROOT).isEmpty() ? " " : matcher.group(2).toLowerCase(Locale.ROOT));
        double unit = Math.pow(matcher.group(3).isEmpty() ? 1000 : 1024, power);
        return Math.round(Double.parseDouble(matcher.group(1)) * unit);
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

    /** Bytes per second; 0 for unlimited. {@code 2Mbit}, {@code 2Mbps} and {@code 2Mb} are bits, {@code 1MB} bytes. */
    public static long bandwidth(String text) {
        String value = text.trim();
        if (value.equalsIgnoreCase("unlimited") || value.equals("0")) {
            return 0;
        }
        Matcher matcher = BANDWIDTH.matcher(value);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a bandwidth: use e.g. 2Mbit, 512kbit, 1MB or unlimited");
        }
        double amount = Double.parseDouble(matcher.group(1)) * switch (matcher.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 1e3;
            case "m" -> 1e6;
            case "g" -> 1e9;
            default -> 1;
        };
        boolean bytes = matcher.group(3).equals("B");
        return Math.max(1, Math.round(bytes ? amount : amount / 8));
    }
}
