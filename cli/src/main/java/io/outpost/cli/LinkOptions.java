package io.outpost.cli;

import io.outpost.txrxsim.link.LinkFaults;
import io.outpost.txrxsim.link.LinkSettings;
import java.time.Duration;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** How the simulated link behaves, for {@code demo} and {@code link-sim}. */
final class LinkOptions {
    @Option(names = "--delay", defaultValue = "5s", converter = Converters.DurationConverter.class,
            description = "One-way delay of the simulated link (default: ${DEFAULT-VALUE}).")
    Duration delay;

    @Option(names = "--jitter", defaultValue = "0s", converter = Converters.DurationConverter.class,
            description = "Extra one-way delay drawn per message from 0..JITTER; order is kept (default: ${DEFAULT-VALUE}).")
    Duration jitter;

    @Option(names = "--bandwidth", defaultValue = "unlimited", converter = Converters.BandwidthConverter.class,
            description = "Link bandwidth, e.g. 2Mbit, 512kbit, 1MB (bytes/s) or unlimited (default: ${DEFAULT-VALUE}).")
    long bandwidth;

    @Option(names = "--loss", defaultValue = "0", description = "Probability that a message is dropped (default: ${DEFAULT-VALUE}).")
    double loss;

    @Option(names = "--corrupt", defaultValue = "0", description = "Probability that a byte of a message's body is flipped (default: ${DEFAULT-VALUE}).")
    double corrupt;

    @Option(names = "--duplicate", defaultValue = "0", description = "Probability that a message arrives twice (default: ${DEFAULT-VALUE}).")
    double duplicate;

    @Option(names = "--reorder", defaultValue = "0", description = "Probability that a message is held back behind later ones (default: ${DEFAULT-VALUE}).")
    double reorder;

    @Mixin
    WindowsOption windows;

    @Option(names = "--seed", description = "Seed for the link's random draws, to repeat a run exactly (default: a fresh one).")
    Long seed;

    LinkSettings settings() {
        return new LinkSettings(delay, jitter, bandwidth, new LinkFaults(loss, corrupt, duplicate, reorder),
                windows.schedule(), seed);
    }
}
