package io.outpost.protocol.transfer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * How many repair chunks a block gets: the count that makes the round's expected cost least, where each repair chunk
 * costs its time on the link and a block left short costs its transfer one more round (a round trip, and its lost
 * chunks sent again), itself as lossy. Decided for each round as it is sent, so a resend round is coded too, for the loss known then. The loss is the larger of what the operator expects of the link and what the receivers' reports
 * measured; none (0) means no coding. Without a bandwidth the time of a chunk is unknown, and the count is the least
 * that leaves one block in {@link #UNPRICED_SHORTFALL} short. Small messages are sent more than once for the same
 * loss ({@link #signalCopies}).
 */
public final class RepairPolicy {
    /** No coding whatever the loss: transfers rely on selective retransmission alone. */
    public static final RepairPolicy NONE = new RepairPolicy(0, Duration.ZERO, 0, new MeasuredLoss(), 0);
    /** Blocks of at most this many data chunks: rebuilding one inverts a matrix this size and holds its lost chunks. */
    static final int MAX_BLOCK = 64;
    /** At most this many repair chunks a block, so a sender holds at most this many chunks while coding one. */
    static final int MAX_REPAIRS = 32;
    static final double UNPRICED_SHORTFALL = 0.05;
    /** Chunks a measured loss must stand on before it counts: one lost of the first two is not a link that loses half. */
    static final int MEASURED_ENOUGH = 50;
    /** Without a bandwidth, a small message goes as many times as it takes for all copies to be lost at most this often. */
    static final double SIGNAL_LOST = 0.001;
    /** Without a bandwidth, only messages up to this size are copied. */
    static final int UNPRICED_COPY_BYTES = 8 * 1024;
    static final int MAX_COPIES = 5;

    private final double expectedLoss;
    private final Duration roundTrip;
    private final long bytesPerSecond;
    private final MeasuredLoss measured;
    private final int maxRepairs;

    /**
     * @param expectedLoss the share of messages the operator expects the link to lose (0 when unknown: measured)
     * @param bytesPerSecond the link's bandwidth, 0 when unknown
     */
    public RepairPolicy(double expectedLoss, Duration roundTrip, long bytesPerSecond, MeasuredLoss measured) {
        this(expectedLoss, roundTrip, bytesPerSecond, measured, MAX_REPAIRS);
    }

    private RepairPolicy(double expectedLoss, Duration roundTrip, long bytesPerSecond, MeasuredLoss measured, int maxRepairs) {
        if (expectedLoss < 0 || expectedLoss >= 1) {
            throw new IllegalArgumentException("expected loss must be a share from 0 to below 1: " + expectedLoss);
        }
        this.expectedLoss = expectedLoss;
        this.roundTrip = roundTrip;
        this.bytesPerSecond = bytesPerSecond;
        this.measured = measured;
        this.maxRepairs = maxRepairs;
    }

    /** What the receivers' reports say the link loses. */
    public MeasuredLoss measured() {
        return measured;
    }

    /** The loss coded for: the larger of expected and measured, once the measure stands on {@link #MEASURED_ENOUGH} chunks. */
    public double loss() {
        return measured.chunks() < MEASURED_ENOUGH ? expectedLoss : Math.max(expectedLoss, measured.loss());
    }

    /**
     * How many times a message of {@code bytes} that is not part of a transfer (a request, an answer that fits a
     * message, a report) goes: the count that makes its expected cost least, each copy costing its time on the link
     * and the loss of all of them the time until the request is asked again (3 round trips and 5 s). Without a
     * bandwidth, messages up to {@link #UNPRICED_COPY_BYTES} go until all copies are lost at most {@link #SIGNAL_LOST}
     * of the time. 1 on a link that loses nothing.
     */
    public int signalCopies(int bytes) {
        double loss = loss();
        if (loss <= 0 || maxRepairs == 0) {
            return 1;
        }
        if (bytesPerSecond <= 0) {
            int copies = 1;
            while (bytes <= UNPRICED_COPY_BYTES && copies < MAX_COPIES && Math.pow(loss, copies) > SIGNAL_LOST) {
                copies++;
            }
            return copies;
        }
        double copySeconds = (double) bytes / bytesPerSecond;
        double askedAgain = 3 * roundTrip.toMillis() / 1000.0 + 5;
        int best = 1;
        double bestCost = Double.MAX_VALUE;
        for (int copies = 1; copies <= MAX_COPIES; copies++) {
            double cost = copies * copySeconds + Math.pow(loss, copies) * askedAgain;
            if (cost < bestCost - 1e-9) {
                best = copies;
                bestCost = cost;
            }
        }
        return best;
    }

    /** The blocks a round sending {@code chunks} (of {@code chunkSize} bytes) codes, each with its repairs for the link's loss now. */
    public List<CodedBlock> blocksFor(BitSet chunks, int chunkSize) {
        List<int[]> members = CodedBlock.split(chunks, MAX_BLOCK);
        double loss = loss();
        List<CodedBlock> blocks = new ArrayList<>();
        for (int[] block : members) {
            blocks.add(new CodedBlock(block, loss <= 0 || maxRepairs == 0 ? 0 : repairs(block.length, members.size(), loss, chunkSize)));
        }
        return blocks;
    }

    private int repairs(int blockChunks, int blocks, double loss, int chunkSize) {
        if (bytesPerSecond <= 0) {
            return leastRepairs(blockChunks, loss, UNPRICED_SHORTFALL, maxRepairs);
        }
        double chunkSeconds = (double) chunkSize / bytesPerSecond;
        double roundTripSeconds = roundTrip.toMillis() / 1000.0;
        int best = 0;
        double bestCost = Double.MAX_VALUE;
        for (int r = 0; r <= Math.min(maxRepairs, ErasureCode.MAX_CHUNKS - blockChunks); r++) {
            double allRebuilt = Math.pow(1 - shortfall(blockChunks, r, loss), blocks);
            // a short block's lost data chunks go again a round trip later, in a round that may itself fall short:
            // 1 / (1 - loss) rounds on average
            double resent = blocks * lostBeyond(blockChunks, r, loss) * blockChunks / (blockChunks + r);
            double cost = blocks * r * chunkSeconds + ((1 - allRebuilt) * roundTripSeconds + resent * chunkSeconds) / (1 - loss);
            if (cost < bestCost - 1e-9) {
                best = r;
                bestCost = cost;
            }
        }
        return best;
    }

    /** The chunks a block of {@code data + repairs} loses, counted only when they are more than {@code repairs}: E[X; X > r]. */
    static double lostBeyond(int data, int repairs, double loss) {
        int n = data + repairs;
        double within = 0;
        double term = Math.pow(1 - loss, n);
        for (int lost = 0; lost <= repairs; lost++) {
            within += lost * term;
            term = term * (n - lost) / (lost + 1) * loss / (1 - loss);
        }
        return Math.max(0, n * loss - within);
    }

    /** The fewest repairs (at most {@code most}) that leave a block of {@code data} chunks short no more often than {@code shortfall}. */
    public static int leastRepairs(int data, double loss, double shortfall, int most) {
        for (int repairs = 0; repairs < most; repairs++) {
            if (shortfall(data, repairs, loss) <= shortfall) {
                return repairs;
            }
        }
        return Math.max(0, most);
    }

    /** The chance that a block of {@code data + repairs} chunks loses more than {@code repairs} of them. */
    public static double shortfall(int data, int repairs, double loss) {
        int n = data + repairs;
        double atMost = 0;
        double term = Math.pow(1 - loss, n); // P(0 lost)
        for (int lost = 0; lost <= repairs; lost++) {
            atMost += term;
            term = term * (n - lost) / (lost + 1) * loss / (1 - loss);
        }
        return Math.max(0, 1 - atMost);
    }
}
