package io.outpost.link;

import java.time.Duration;
import java.util.Objects;

/**
 * How the simulated link behaves.
 *
 * @param delay one-way propagation delay
 * @param jitter extra delay drawn uniformly from [0, jitter] per message (order is kept regardless)
 * @param bytesPerSecond bandwidth that serialises messages; 0 for unlimited
 */
public record LinkSettings(Duration delay, Duration jitter, long bytesPerSecond) {
    public LinkSettings {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(jitter, "jitter");
        if (delay.isNegative() || jitter.isNegative() || bytesPerSecond < 0) {
            throw new IllegalArgumentException("link delay, jitter and bandwidth must not be negative");
        }
    }

    public String describe() {
        return "one-way delay " + delay.toMillis() + " ms"
                + (jitter.isZero() ? "" : " +0.." + jitter.toMillis() + " ms jitter")
                + ", bandwidth " + (bytesPerSecond == 0 ? "unlimited" : bytesPerSecond * 8 / 1000 + " kbit/s");
    }
}
