package io.outpost.cli;

import io.outpost.link.TransferTiming;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The link's expected round trip, for the gateways' retransmission timers. */
final class RoundTripOption {
    @Option(names = "--link-round-trip", defaultValue = "10s", converter = Converters.DurationConverter.class,
            description = "Expected round trip of the link; scales the retransmission timers (default: ${DEFAULT-VALUE}).")
    Duration roundTrip;

    TransferTiming timing() {
        return TransferTiming.forRoundTrip(roundTrip);
    }
}
