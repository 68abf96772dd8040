package io.outpost.link;

import java.time.Duration;

/**
 * The timers of reliable transfer, scaled to the link's round trip.
 *
 * @param roundTrip the round trip they are scaled to
 * @param checkEvery how often a site looks for quiet transfers
 * @param reportGrace after the last chunk of a transfer arrives with gaps, how long stragglers may still
 *                    come before the gaps are reported lost (round trip + 1 s)
 * @param receiverQuiet an unfinished incoming transfer with no chunk for this long is reported as stalled
 *                      (3 x round trip + 15 s)
 * @param senderQuiet an outgoing transfer with no report for this long gets its start sent again (a checkpoint;
 *                    6 x round trip + 10 s)
 */
public record TransferTiming(Duration roundTrip, Duration checkEvery, Duration reportGrace, Duration receiverQuiet, Duration senderQuiet) {
    /** The link's round trip when the operator does not say ({@code --link-round-trip}). */
    public static final Duration DEFAULT_ROUND_TRIP = Duration.ofSeconds(10);

    public static TransferTiming forRoundTrip(Duration roundTrip) {
        return new TransferTiming(roundTrip,
                max(Duration.ofMillis(500), roundTrip.dividedBy(2)),
                roundTrip.plusSeconds(1),
                // longer than the link's longest retry pause (5 s), so a link catching up is not taken for losses
                roundTrip.multipliedBy(3).plusSeconds(15),
                roundTrip.multipliedBy(6).plusSeconds(10));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
