package io.outpost.link;

import io.micrometer.core.instrument.MeterRegistry;
import io.outpost.link.trust.FrameRejectedException;
import io.outpost.link.trust.FrameSignatures;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The upstream's inbound queue is one for its whole fleet: each frame goes to the link of the outpost whose name it is
 * signed under, which checks the signature against that outpost's key and that the frame is addressed as that outpost.
 * A frame under a name the fleet does not serve (never added, removed, suspended) is refused as untrusted, once the fleet
 * was read again: an outpost added a moment ago is served from its first frame.
 */
public final class FleetInbox {
    private static final long REREAD_AT_MOST_EVERY_NANOS = 1_000_000_000L;

    private final Map<String, LinkInbox> served = new ConcurrentHashMap<>();
    private final RejectedFrames rejected;
    private final Runnable reread;
    private final AtomicLong rereadAt = new AtomicLong(System.nanoTime() - REREAD_AT_MOST_EVERY_NANOS);

    /** @param reread reads the fleet again, serving what it holds now (at most once a second, for frames under names it does not serve) */
    public FleetInbox(MeterRegistry meters, Runnable reread) {
        this.rejected = new RejectedFrames("upstream", RejectedFrames.NOT_IN_FLEET, meters);
        this.reread = reread;
    }

    public void serve(String outpost, LinkInbox inbox) {
        served.put(outpost, inbox);
    }

    /** Frames of {@code outpost} are refused from now on; what it sent before is applied or kept as it was. */
    public void stopServing(String outpost) {
        served.remove(outpost);
    }

    public void accept(byte[] signedFrame) {
        LinkInbox inbox;
        try {
            String signer = FrameSignatures.signerOf(signedFrame);
            inbox = served.get(signer);
            long last = rereadAt.get();
            if (inbox == null && System.nanoTime() - last >= REREAD_AT_MOST_EVERY_NANOS && rereadAt.compareAndSet(last, System.nanoTime())) {
                reread.run();
                inbox = served.get(signer);
            }
            if (inbox == null) {
                throw new FrameRejectedException(FrameRejectedException.Reason.UNTRUSTED, "the frame is signed by '" + signer
                        + "', which is not an outpost this upstream serves (add it with 'outpost fleet add', or resume it with 'outpost fleet resume')");
            }
        } catch (FrameRejectedException e) {
            rejected.refuse(e);
            return;
        }
        inbox.accept(signedFrame);
    }
}
