package io.outpost.gateway.upstream.fleet;

import io.outpost.data.SiteData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An upstream that served one outpost kept that outpost's link state in its own folder; serving a fleet, each outpost's is
 * under {@code outposts/<outpost>/}. The first start of a fleet upstream moves the old state there, so transfers under
 * way, the ledgers and the subscriptions carry on.
 */
public final class OutpostFolders {
    private static final Logger LOG = LoggerFactory.getLogger(OutpostFolders.class);
    private static final List<Function<SiteData, Path>> PER_OUTPOST = List.of(SiteData::transfersIn, SiteData::transfersOut, SiteData::seenFrames,
            SiteData::deferred, SiteData::ledgers, SiteData::subscriptions);

    private OutpostFolders() {
    }

    /** Moves what {@code upstream} kept of its one outpost into that outpost's folder, unless the folder has it already. */
    public static void adopt(SiteData upstream, String outpost) {
        SiteData own = upstream.outpost(outpost);
        for (Function<SiteData, Path> kept : PER_OUTPOST) {
            Path old = kept.apply(upstream);
            Path now = kept.apply(own);
            if (Files.exists(old) && !Files.exists(now)) {
                try {
                    Files.createDirectories(now.getParent());
                    Files.move(old, now);
                    LOG.info("moved {} to {}: this upstream keeps each outpost of its fleet in a folder of its own", old, now);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot move " + old + " to " + now + ": " + e.getMessage(), e);
                }
            }
        }
    }
}
