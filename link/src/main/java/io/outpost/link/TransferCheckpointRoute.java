package io.outpost.link;

import org.apache.camel.builder.RouteBuilder;

/** On a timer scaled to the link's round trip: report gaps in incoming transfers, checkpoint quiet outgoing ones. */
public final class TransferCheckpointRoute extends RouteBuilder {
    private final String site;
    private final LinkInbox inbox;
    private final LinkOutbox outbox;
    private final TransferTiming timing;

    public TransferCheckpointRoute(String site, LinkInbox inbox, LinkOutbox outbox, TransferTiming timing) {
        this.site = site;
        this.inbox = inbox;
        this.outbox = outbox;
        this.timing = timing;
    }

    @Override
    public void configure() {
        fromF("timer:%s-transfer-checkpoints?period=%d", site, timing.checkEvery().toMillis())
                .routeId(site + "-transfer-checkpoints")
                .process(exchange -> {
                    inbox.reportGaps(timing);
                    outbox.checkpoint(timing.senderQuiet());
                });
    }
}
