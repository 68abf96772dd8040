package io.outpost.txrxsim.link;

import io.outpost.link.OutageSchedule;
import java.time.Duration;
import java.util.Objects;

/**
 * How the simulated link behaves.
 *
 * @param delay one-way propagation delay
 * @param jitter extra delay drawn uniformly from [0, jitter] per message (order is kept regardless)
 * @param bytesPerSecond bandwidth that serialises messages; 0 for unlimited
 * @param faults what goes wrong, per message
 * @param windows when the link is up
 * @param seed for the random draws (faults, jitter), so a run can be repeated; null for a fresh one
 */
public record LinkSettings(Duration delay, Duration jitter, long bytesPerSecond, LinkFaults faults, OutageSchedule windows, Long seed) {
    public LinkSettings {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(jitter, "jitter");
        faults = faults == null ? LinkFaults.NONE : faults;
        windows = windows == null ? OutageSchedule.alwaysUp() : windows;
        if (delay.isNegative() || jitter.isNegative() || bytesPerSecond < 0) {
            throw new IllegalArgumentException("link delay, jitter and bandwidth must not be negative");
        }
    }

    /** A clean link: delay, jitter and bandwidth only. */
    public LinkSettings(Duration delay, Duration jitter, long bytesPerSecond) {
        this(delay, jitter, bytesPerSecond, LinkFaults.NONE, OutageSchedule.alwaysUp(), null);
    }

    public String describe() {
        return "one-way delay " + delay.toMillis() + " ms"
                + (jitter.isZero() ? "" : " +0.." + jitter.toMillis() + " ms jitter")
                + ", bandwidth " + (bytesPerSecond == 0 ? "unlimited" : bytesPerSecond * 8 / 1000 + " kbit/s")
                + ", " + faults.describe() + ", " + windows;
    }
}
