package io.outpost.protocol.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RepairPolicyTest {
    private static final int CHUNK = Chunk.SIZE;
    private static final long TWO_MBIT = 250_000;

    @Test
    void aLinkThatLosesNothingIsNotCoded() {
        assertThat(policy(0, Duration.ofSeconds(3)).blocksFor(8, CHUNK).coded()).isFalse();
        assertThat(RepairPolicy.NONE.blocksFor(100, CHUNK).coded()).isFalse();
    }

    @Test
    void repairsPayOffWhereARoundTripCostsMoreThanTheChunksThatSpareIt() {
        // a 2 MiB layer (8 chunks) at 2 Mbit/s, 5 % loss: at geo distance a round trip (0.6 s) costs less than a chunk (1 s)
        assertThat(policy(0.05, Duration.ofMillis(600)).blocksFor(8, CHUNK).repairs()).isZero();
        assertThat(policy(0.05, Duration.ofSeconds(3)).blocksFor(8, CHUNK).repairs()).isEqualTo(1);
        assertThat(policy(0.2, Duration.ofSeconds(3)).blocksFor(8, CHUNK).repairs()).isEqualTo(2);
        assertThat(policy(0.2, Duration.ofMinutes(25)).blocksFor(8, CHUNK).repairs()).as("at Mars' real distance").isGreaterThanOrEqualTo(5);
    }

    @Test
    void largeTransfersAreCodedInBlocksOfAtMost64Chunks() {
        CodedBlocks blocks = policy(0.05, Duration.ofMinutes(25)).blocksFor(130, CHUNK);
        assertThat(blocks.blockCount()).isEqualTo(3);
        assertThat(blocks.dataChunks(0)).isEqualTo(44);
        assertThat(blocks.dataChunks(2)).isEqualTo(42);
        assertThat(blocks.repairs()).isBetween(4, RepairPolicy.MAX_REPAIRS);
    }

    @Test
    void withoutABandwidthABlockIsCodedSoThatOneIn20IsLeftShort() {
        RepairPolicy unpriced = new RepairPolicy(0.2, Duration.ofSeconds(3), 0, new MeasuredLoss());
        int repairs = unpriced.blocksFor(40, CHUNK).repairs();
        assertThat(RepairPolicy.shortfall(40, repairs, 0.2)).isLessThanOrEqualTo(RepairPolicy.UNPRICED_SHORTFALL);
        assertThat(RepairPolicy.shortfall(40, repairs - 1, 0.2)).isGreaterThan(RepairPolicy.UNPRICED_SHORTFALL);
    }

    @Test
    void theShortfallIsTheBinomialTail() {
        assertThat(RepairPolicy.shortfall(8, 0, 0.05)).isCloseTo(1 - Math.pow(0.95, 8), org.assertj.core.data.Offset.offset(1e-12));
        assertThat(RepairPolicy.shortfall(8, 1, 0.05)).isCloseTo(1 - Math.pow(0.95, 9) - 9 * 0.05 * Math.pow(0.95, 8),
                org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void measuredLossRaisesTheCodingAndOldTransfersWeighLess() {
        MeasuredLoss measured = new MeasuredLoss();
        RepairPolicy policy = new RepairPolicy(0, Duration.ofSeconds(3), TWO_MBIT, measured);
        assertThat(policy.blocksFor(8, CHUNK).coded()).as("nothing measured yet").isFalse();
        measured.observe(100, 80);
        assertThat(policy.loss()).isCloseTo(0.2, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(policy.blocksFor(8, CHUNK).repairs()).isEqualTo(2);
        for (int i = 0; i < 100; i++) {
            measured.observe(100, 100);
        }
        assertThat(policy.loss()).as("a link that stopped losing").isLessThan(0.001);
    }

    @Test
    void messagesOutsideTransfersGoAsOftenAsALostOneCostsMoreThanACopy() {
        assertThat(policy(0, Duration.ofSeconds(3)).signalCopies(500)).as("a link that loses nothing").isEqualTo(1);
        assertThat(policy(0.2, Duration.ofSeconds(3)).signalCopies(500)).isEqualTo(5);
        assertThat(policy(0.05, Duration.ofSeconds(3)).signalCopies(500)).isEqualTo(3);
        assertThat(policy(0.05, Duration.ofMillis(600)).signalCopies(100_000)).as("a copy of 100 kB costs 0.4 s at 2 Mbit/s").isEqualTo(1);
        RepairPolicy unpriced = new RepairPolicy(0.2, Duration.ofSeconds(3), 0, new MeasuredLoss());
        assertThat(unpriced.signalCopies(500)).isEqualTo(5);
        assertThat(unpriced.signalCopies(100_000)).as("without a bandwidth only small messages are copied").isEqualTo(1);
    }

    private static RepairPolicy policy(double loss, Duration roundTrip) {
        return new RepairPolicy(loss, roundTrip, TWO_MBIT, new MeasuredLoss());
    }
}
