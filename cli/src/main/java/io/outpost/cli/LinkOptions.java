package io.outpost.cli;

import io.outpost.link.LinkSettings;
import java.time.Duration;
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

    LinkSettings settings() {
        return new LinkSettings(delay, jitter, bandwidth);
    }
}
