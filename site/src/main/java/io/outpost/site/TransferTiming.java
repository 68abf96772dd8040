package io.outpost.site;

import java.time.Duration;

/**
 * The timers of reliable transfer, scaled to the link's round trip.
 *
 * @param checkEvery how often a site looks for quiet transfers
 * @param receiverQuiet an unfinished incoming transfer with no chunk for this long is reported as stalled
 * @param senderQuiet an outgoing transfer with no report for this long gets its start sent again (a checkpoint)
 */
public record TransferTiming(Duration checkEvery, Duration receiverQuiet, Duration senderQuiet) {

    public static TransferTiming forRoundTrip(Duration roundTrip) {
        return new TransferTiming(
                max(Duration.ofMillis(500), roundTrip.dividedBy(2)),
                roundTrip.multipliedBy(3).plusSeconds(3),
                roundTrip.multipliedBy(6).plusSeconds(10));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
