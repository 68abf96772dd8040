package io.outpost.link;

import io.outpost.protocol.transfer.MeasuredLoss;
import io.outpost.protocol.transfer.RepairPolicy;

/**
 * What the operator expects of the link, for erasure coding of transfers: the share of messages it loses (0: none
 * expected, coding starts once the reports measure loss) and its bandwidth in bytes per second (0: unknown), which
 * prices a repair chunk against the round trip a short block costs.
 */
public record TransferCoding(double expectedLoss, long bytesPerSecond) {
    /** Nothing expected: coding follows the loss the receivers' reports measure. */
    public static final TransferCoding MEASURED = new TransferCoding(0, 0);

    public TransferCoding {
        if (expectedLoss < 0 || expectedLoss >= 1) {
            throw new IllegalArgumentException("the expected loss is a share of messages from 0 to below 1, e.g. 0.05 for 5 %: not " + expectedLoss);
        }
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("a bandwidth is not negative: " + bytesPerSecond);
        }
    }

    RepairPolicy policy(TransferTiming timing) {
        return new RepairPolicy(expectedLoss, timing.roundTrip(), bytesPerSecond, new MeasuredLoss());
    }
}
