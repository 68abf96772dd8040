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
 * dropped with a note (a duplicating link does the same, and the first copy was applied); any other
 * refusal goes on to the dead-letter queue, which keeps the frame and logs why.
 */
final class RejectedFrames {
    private static final Logger LOG = LoggerFactory.getLogger(RejectedFrames.class);

    private final String site;
    private final Map<FrameRejectedException.Reason, Counter> counters = new EnumMap<>(FrameRejectedException.Reason.class);

    RejectedFrames(String site, MeterRegistry meters) {
        this.site = site;
        for (FrameRejectedException.Reason reason : FrameRejectedException.Reason.values()) {
            counters.put(reason, Counter.builder("outpost.link.rejected").description("Frames from the link this site refused, by reason")
                    .tag("site", site).tag("reason", reason.tag()).register(meters));
        }
    }

    /** Counts the refusal; rethrows it unless it was a replay. */
    void refuse(FrameRejectedException rejected) {
        counters.get(rejected.reason()).increment();
        if (rejected.reason() != FrameRejectedException.Reason.REPLAYED) {
            throw rejected;
        }
        LOG.info("{} site dropped a replayed frame: {}", site, rejected.getMessage());
    }
}
