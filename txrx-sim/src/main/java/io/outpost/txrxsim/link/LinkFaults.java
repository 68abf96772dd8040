package io.outpost.txrxsim.link;


/**
 * What goes wrong on the simulated link, each a probability per message.
 *
 * @param loss the message is dropped
 * @param corrupt a byte of the message's body is flipped (messages without a body are not corrupted)
 * @param duplicate the message arrives twice
 * @param reorder the message is held back behind later ones
 */
public record LinkFaults(double loss, double corrupt, double duplicate, double reorder) {
    public static final LinkFaults NONE = new LinkFaults(0, 0, 0, 0);

    public LinkFaults {
        for (double p : new double[] {loss, corrupt, duplicate, reorder}) {
            if (p < 0 || p > 1) {
                throw new IllegalArgumentException("link fault probabilities must be between 0 and 1, not " + p);
            }
        }
    }

    public String describe() {
        return this.equals(NONE) ? "no faults"
                : String.format("loss %.1f%%, corruption %.1f%%, duplication %.1f%%, reordering %.1f%%",
                        loss * 100, corrupt * 100, duplicate * 100, reorder * 100);
    }
}
