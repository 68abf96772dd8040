package io.outpost.protocol.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class RepairPolicyTest {
    private static final int CHUNK = Chunk.SIZE;
    private static final long TWO_MBIT = 250_000;

    @Test
    void aLinkThatLosesNothingIsNotCoded() {
        assertThat(policy(0, Duration.ofSeconds(3)).blocksFor(all(8), CHUNK)).extracting(CodedBlock::repairs).containsOnly(0);
        assertThat(RepairPolicy.NONE.blocksFor(all(100), CHUNK)).extracting(CodedBlock::repairs).containsOnly(0);
    }

    @Test
    void repairsPayOffWhereARoundTripCostsMoreThanTheChunksThatSpareIt() {
        // a 2 MiB layer (8 chunks) at 2 Mbit/s, 5 % loss: at geo distance a round trip (0.6 s) costs less than a chunk (1 s)
        assertThat(policy(0.05, Duration.ofMillis(600)).blocksFor(all(8), CHUNK).get(0).repairs()).isZero();
        assertThat(policy(0.05, Duration.ofSeconds(3)).blocksFor(all(8), CHUNK).get(0).repairs()).isEqualTo(1);
        assertThat(policy(0.2, Duration.ofSeconds(3)).blocksFor(all(8), CHUNK).get(0).repairs()).isEqualTo(3);
        assertThat(policy(0.2, Duration.ofMinutes(25)).blocksFor(all(8), CHUNK).get(0).repairs()).as("at Mars' real distance").isGreaterThanOrEqualTo(5);
    }

    @Test
    void largeRoundsAreCodedInBlocksOfAtMost64Chunks() {
        List<CodedBlock> blocks = policy(0.05, Duration.ofMinutes(25)).blocksFor(all(130), CHUNK);
        assertThat(blocks).extracting(block -> block.chunks().length).containsExactly(44, 43, 43);
        assertThat(blocks.get(1).chunks()[0]).isEqualTo(44);
        assertThat(blocks.get(0).repairs()).isBetween(4, RepairPolicy.MAX_REPAIRS);
    }

    @Test
    void aResendRoundCodesTheChunksItResendsWhereverTheyAre() {
        BitSet lost = new BitSet();
        lost.set(3);
        lost.set(70);
        lost.set(129);
        List<CodedBlock> blocks = policy(0.2, Duration.ofMinutes(25)).blocksFor(lost, CHUNK);
        assertThat(blocks).singleElement().satisfies(block -> {
            assertThat(block.chunks()).containsExactly(3, 70, 129);
            assertThat(block.covers()).containsExactly(new TransferReport.Range(3, 3), new TransferReport.Range(70, 70), new TransferReport.Range(129, 129));
            assertThat(block.repairs()).isPositive();
        });
    }

    @Test
    void withoutABandwidthABlockIsCodedSoThatOneIn20IsLeftShort() {
        RepairPolicy unpriced = new RepairPolicy(0.2, Duration.ofSeconds(3), 0, new MeasuredLoss());
        int repairs = unpriced.blocksFor(all(40), CHUNK).get(0).repairs();
        assertThat(RepairPolicy.shortfall(40, repairs, 0.2)).isLessThanOrEqualTo(RepairPolicy.UNPRICED_SHORTFALL);
        assertThat(RepairPolicy.shortfall(40, repairs - 1, 0.2)).isGreaterThan(RepairPolicy.UNPRICED_SHORTFALL);
    }

    @Test
    void theChunksLostBeyondTheRepairsAreTheBinomialTailsMean() {
        assertThat(RepairPolicy.lostBeyond(8, 0, 0.2)).isCloseTo(1.6, org.assertj.core.data.Offset.offset(1e-12));
        double p0 = Math.pow(0.8, 9);
        double p1 = 9 * 0.2 * Math.pow(0.8, 8);
        assertThat(RepairPolicy.lostBeyond(8, 1, 0.2)).isCloseTo(1.8 - p1, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(p0).isPositive();
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
        assertThat(policy.blocksFor(all(8), CHUNK).get(0).repairs()).as("nothing measured yet").isZero();
        measured.observe(2, 1);
        assertThat(policy.loss()).as("one lost of the first two says little").isZero();
        measured.observe(100, 81);
        assertThat(policy.loss()).isCloseTo(0.2, org.assertj.core.data.Offset.offset(0.01));
        assertThat(policy.blocksFor(all(8), CHUNK).get(0).repairs()).isEqualTo(3);
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

    private static BitSet all(int chunks) {
        BitSet all = new BitSet();
        all.set(0, chunks);
        return all;
    }

    private static RepairPolicy policy(double loss, Duration roundTrip) {
        return new RepairPolicy(loss, roundTrip, TWO_MBIT, new MeasuredLoss());
    }
}
