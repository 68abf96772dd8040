package io.outpost.site;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.outpost.trust.FrameRejectedException;
import java.util.EnumMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Frames a site refused from the link: logged with the reason, counted in {@code outpost.link.rejected} by reason. */
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

    void count(FrameRejectedException rejected) {
        counters.get(rejected.reason()).increment();
        // a replay is what a duplicating link does too: worth a count, not an alarm
        if (rejected.reason() == FrameRejectedException.Reason.REPLAYED) {
            LOG.info("{} site refused a frame ({}): {}", site, rejected.reason().tag(), rejected.getMessage());
        } else {
            LOG.warn("{} site refused a frame ({}): {}", site, rejected.reason().tag(), rejected.getMessage());
        }
    }
}
