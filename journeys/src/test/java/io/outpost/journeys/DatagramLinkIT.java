package io.outpost.journeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.outpost.cli.bench.DatagramLinkRun;
import io.outpost.cli.bench.NetworkPath;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The link as UDP datagrams over a real kernel network path (the outpost in a network namespace, 300 ms each way,
 * 20 Mbit/s, 5 % of packets dropped by the router): a release whose bundle is a 32 MB transfer is pushed to the
 * subscribed outpost and arrives whole, the lost datagrams rebuilt from their frames' repair fragments and what that
 * left lost recovered by the transfer layer over the same datagrams.
 */
class DatagramLinkIT {
    @TempDir
    Path data;

    @Test
    void aReleaseOf32MBCrossesTheDatagramLinkThroughFivePercentPacketLoss() throws Exception {
        NetworkPath.missing().ifPresent(reason -> assumeTrue(false, reason + " (CI runs as root)"));

        DatagramLinkRun.Result result = DatagramLinkRun.run(data, 300, 2_500_000, 5, 42_000_000);

        System.out.printf("datagram link, 32 MB at 5%% loss: %.1f s, %d chunk bytes, goodput %.3f of B(1 - p)%n", result.seconds(), result.chunkBytes(),
                result.goodputRatio());
        assertThat(result.chunkBytes()).as("the bundle's chunks crossed").isGreaterThan(30_000_000);
    }
}
