package io.outpost.site;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.outpost.protocol.EnvelopeCodec;
import io.outpost.transfer.Delivery;
import io.outpost.transfer.OutgoingTransfers;
import io.outpost.transfer.TransferReceiver;
import io.outpost.transfer.TransferSender;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.camel.CamelContext;

/**
 * A site's end of the link: the outbox its flows send through, and, once they exist, the inbox that
 * hands them what arrives, with reliable transfer on both (incoming under {@code DATA/<site>/transfers},
 * outgoing kept under {@code DATA/<site>/outgoing} until reported complete).
 */
public final class SiteLink {
    private final CamelContext camel;
    private final String site;
    private final Path siteData;
    private final TransferTiming timing;
    private final Clock clock;
    private final EnvelopeCodec codec;
    private final LinkOutbox outbox;
    private final TransferReceiver receiver;

    /**
     * @param site "outpost" or "upstream": the Camel component of its broker
     * @param outpost the outpost this link serves
     * @param siteData {@code DATA/<site>}
     */
    public SiteLink(CamelContext camel, String site, String outpost, Path siteData, int chunkSize, TransferTiming timing, MeterRegistry meters,
                    Clock clock) {
        this.camel = camel;
        this.site = site;
        this.siteData = siteData;
        this.timing = timing;
        this.clock = clock;
        this.codec = new EnvelopeCodec(chunkSize);
        this.outbox = new LinkOutbox(camel.createProducerTemplate(), site, outpost, codec,
                new OutgoingTransfers(siteData.resolve("outgoing"), codec, new TransferSender(chunkSize)), clock,
                Counter.builder("outpost.transfer.bytes.resent").description("Chunk bytes this site sent again because the receiver lacked them")
                        .tag("site", site).register(meters));
        this.receiver = new TransferReceiver(siteData.resolve("transfers"), codec);
        Gauge.builder("outpost.transfer.bytes.in.flight", receiver, transfers -> transfers.inProgress().stream()
                        .mapToLong(transfer -> transfer.size() - transfer.receivedBytes()).sum())
                .description("Bytes of transfers to this site not yet received").tag("site", site).register(meters);
    }

    public LinkOutbox outbox() {
        return outbox;
    }

    public EnvelopeCodec codec() {
        return codec;
    }

    /** Starts taking messages off the link, each type to its handler; returns the inbox, which also applies imported ones. */
    public LinkInbox receive(Map<String, Consumer<Delivery>> handlers) throws Exception {
        LinkInbox inbox = new LinkInbox(site, codec, receiver, outbox, clock, handlers);
        DeadLetters.ensureInstalled(camel, site);
        camel.addRoutes(new LinkInboundRoute(site, inbox));
        camel.addRoutes(new TransferCheckpointRoute(site, inbox, outbox, timing));
        return inbox;
    }
}
