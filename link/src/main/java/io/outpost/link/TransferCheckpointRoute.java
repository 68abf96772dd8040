package io.outpost.link;

import org.apache.camel.builder.RouteBuilder;

/** On a timer scaled to the link's round trip: report gaps in incoming transfers, checkpoint quiet outgoing ones. */
public final class TransferCheckpointRoute extends RouteBuilder {
    private final String site;
    private final Runnable checkpoint;
    private final TransferTiming timing;

    /** @param checkpoint each link of the site's {@link SiteLink#checkpoint} */
    public TransferCheckpointRoute(String site, Runnable checkpoint, TransferTiming timing) {
        this.site = site;
        this.checkpoint = checkpoint;
        this.timing = timing;
    }

    @Override
    public void configure() {
        fromF("timer:%s-transfer-checkpoints?period=%d", site, timing.checkEvery().toMillis())
                .routeId(site + "-transfer-checkpoints")
                .process(exchange -> checkpoint.run());
    }
}
