package io.outpost.protocol.transfer;

/**
 * The share of chunks the link lost, from what receivers said they heard of what was sent: a running count in
 * which older transfers weigh less ({@link #MEMORY} chunks' worth), so the estimate follows a link that changes.
 */
public final class MeasuredLoss {
    /** Roughly how many recent chunks the estimate remembers. */
    static final double MEMORY = 2000;
    private double sent;
    private double lost;

    /** {@code heard} of {@code sent} chunks reached the receiver. */
    public synchronized void observe(long sentChunks, long heardChunks) {
        if (sentChunks <= 0) {
            return;
        }
        long lostChunks = Math.max(0, sentChunks - Math.min(heardChunks, sentChunks));
        double keep = Math.max(0, 1 - sentChunks / MEMORY);
        sent = sent * keep + sentChunks;
        lost = lost * keep + lostChunks;
    }

    /** 0 until something was measured. */
    public synchronized double loss() {
        return sent == 0 ? 0 : lost / sent;
    }

    /** The chunks the estimate stands on (older ones counted for less): a loss of 1 in 2 says little. */
    public synchronized double chunks() {
        return sent;
    }
}
