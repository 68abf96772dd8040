package io.outpost.cli;

import io.outpost.link.TransferCoding;
import io.outpost.link.TransferTiming;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The link as the operator expects it: its round trip scales the retransmission timers; its loss and bandwidth size erasure coding. */
final class ExpectedLinkOption {
    @Option(names = "--link-round-trip", defaultValue = "10s", converter = Converters.DurationConverter.class,
            description = "Expected round trip of the link; scales the retransmission timers (default: ${DEFAULT-VALUE}).")
    Duration roundTrip;

    @Option(names = "--link-bandwidth", defaultValue = "2Mbit", converter = Converters.BandwidthConverter.class, description = {"The link's",
            "bandwidth; prices a repair chunk against a round trip, and for the real link sizes what it keeps in flight (four times the",
            "bandwidth-delay product) (default: ${DEFAULT-VALUE})."})
    long bandwidth;

    @Option(names = "--link-loss", defaultValue = "0", description = {"Share of messages the link is expected to lose, e.g. 0.05; transfers are",
            "erasure coded for the larger of this and the loss measured (default: ${DEFAULT-VALUE}: coded once loss is measured)."})
    double loss;

    TransferTiming timing() {
        return TransferTiming.forRoundTrip(roundTrip);
    }

    TransferCoding coding() {
        return new TransferCoding(loss, bandwidth);
    }
}
