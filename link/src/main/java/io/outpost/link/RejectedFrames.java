package io.outpost.link;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.outpost.link.trust.FrameRejectedException;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frames a site refused from the link, counted in {@code outpost.link.rejected} by reason. A replay is
 * dropped with a note (a duplicating link does the same, and the first copy was applied), and so is a frame
 * the link damaged (it counts as lost: what it carried is sent again, as for any loss); any other refusal
 * goes on to the dead-letter queue, which keeps the frame and logs why.
 */
final class RejectedFrames {
    private static final Logger LOG = LoggerFactory.getLogger(RejectedFrames.class);

    /** The {@code outpost} tag of frames refused before any outpost's link saw them: no outpost's name can be this. */
    static final String NOT_IN_FLEET = "(not in the fleet)";

    private final String site;
    private final Map<FrameRejectedException.Reason, Counter> counters = new EnumMap<>(FrameRejectedException.Reason.class);

    /** @param outpost the outpost whose link refused them, or {@link #NOT_IN_FLEET} for frames under a name the upstream does not serve */
    RejectedFrames(String site, String outpost, MeterRegistry meters) {
        this.site = site;
        for (FrameRejectedException.Reason reason : FrameRejectedException.Reason.values()) {
            counters.put(reason, Counter.builder("outpost.link.rejected").description("Frames from the link this site refused, by reason")
                    .tag("site", site).tag("outpost", outpost).tag("reason", reason.tag()).register(meters));
        }
    }

    /** Counts the refusal; rethrows it unless it was a replay or damage on the link. */
    void refuse(FrameRejectedException rejected) {
        counters.get(rejected.reason()).increment();
        switch (rejected.reason()) {
            case REPLAYED -> LOG.info("{} site dropped a replayed frame: {}", site, rejected.getMessage());
            case CORRUPTED -> LOG.debug("{} site dropped a frame: {}", site, rejected.getMessage());
            default -> throw rejected;
        }
    }
}
