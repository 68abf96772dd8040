package io.outpost.link;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.outpost.brokerclient.Addresses;
import io.outpost.brokerclient.CloseOnStop;
import io.outpost.brokerclient.DeadLetters;
import io.outpost.data.SiteData;
import io.outpost.link.trust.FrameSignatures;
import io.outpost.link.trust.SeenFrames;
import io.outpost.link.trust.SiteKeys;
import io.outpost.link.trust.TrustedKeys;
import io.outpost.protocol.EnvelopeCodec;
import io.outpost.protocol.transfer.Delivery;
import io.outpost.protocol.transfer.OutgoingTransfers;
import io.outpost.protocol.transfer.RepairPolicy;
import io.outpost.protocol.transfer.TransferReceiver;
import io.outpost.protocol.transfer.TransferSender;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.jms.JmsComponent;
import org.springframework.jms.connection.DelegatingConnectionFactory;

/**
 * A site's end of the link: the outbox its flows send through, and, once they exist, the inbox that
 * hands them what arrives, with reliable transfer on both (incoming under {@code DATA/<site>/transfers},
 * outgoing kept under {@code DATA/<site>/outgoing} until reported complete).
 */
public final class SiteLink implements AutoCloseable {
    /**
     * How long a signed frame is accepted after it was signed, and remembered against replay: longer than
     * any outage the link should ride out with messages waiting in a broker.
     */
    public static final Duration REPLAY_WINDOW = Duration.ofDays(7);

    private final CamelContext camel;
    private final String site;
    private final String outpost;
    private final TransferTiming timing;
    private final Clock clock;
    private final EnvelopeCodec codec;
    private final LinkOutbox outbox;
    private final TransferReceiver receiver;
    private final FrameSignatures signatures;
    private final RejectedFrames rejected;
    private final DeferredDeliveries deferred;
    private final SeenFrames seen;
    private final CloseOnStop closeSeen;
    private final MeterRegistry meters;
    private final HeardFrom heard;
    private LinkInbox inbox;

    /**
     * @param site "outpost" or "upstream": the Camel component of its broker
     * @param outpost the outpost this link serves: at the upstream, one of its fleet
     * @param siteData the link's data: the site's, or at the upstream the outpost's folder in it
     * @param keys the site's keys, which sign what it sends
     * @param peer the site at the other end, whose trusted key must sign what this site receives
     */
    public SiteLink(CamelContext camel, String site, String outpost, SiteData siteData, SiteKeys keys, String peer, int chunkSize, TransferTiming timing,
                    TransferCoding coding, MeterRegistry meters, Clock clock) throws Exception {
        this.camel = camel;
        this.site = site;
        this.outpost = outpost;
        this.meters = meters;
        this.timing = timing;
        this.clock = clock;
        this.codec = new EnvelopeCodec(chunkSize);
        this.seen = new SeenFrames(siteData.seenFrames(), clock.instant());
        this.closeSeen = new CloseOnStop(seen);
        camel.addService(closeSeen, true, true);
        this.signatures = new FrameSignatures(keys, peer, TrustedKeys.of(keys), seen, REPLAY_WINDOW, clock);
        this.rejected = new RejectedFrames(site, outpost, meters);
        this.receiver = new TransferReceiver(siteData.transfersIn(), codec);
        RepairPolicy repairs = coding.policy(timing);
        this.outbox = new LinkOutbox(camel.createProducerTemplate(), outboxComponent(camel, site), LinkDirection.from(site), outpost, codec, signatures,
                new OutgoingTransfers(siteData.transfersOut(), codec, new TransferSender(chunkSize), repairs), receiver::room, clock,
                Counter.builder("outpost.transfer.bytes.resent").description("Chunk bytes this site sent again because the receiver lacked them")
                        .tag("site", site).tag("outpost", outpost).register(meters));
        Gauge.builder("outpost.link.loss.measured", repairs, policy -> policy.measured().loss())
                .description("Share of the chunks this site sent that the other site's reports say it did not hear (erasure coding is sized for it"
                        + " once it stands on 50 chunks)")
                .tag("site", site).tag("outpost", outpost).register(meters);
        Gauge.builder("outpost.link.loss.measured.chunks", repairs, policy -> policy.measured().chunks())
                .description("Chunks the measured loss stands on, older ones counted for less").tag("site", site).tag("outpost", outpost).register(meters);
        FunctionCounter.builder("outpost.transfer.chunks.rebuilt", receiver, TransferReceiver::rebuiltChunks)
                .description("Lost chunks of transfers to this site rebuilt from repair chunks, with no resend").tag("site", site).tag("outpost", outpost).register(meters);
        this.heard = new HeardFrom(siteData.lastHeard(), clock);
        FunctionCounter.builder("outpost.link.frames.accepted", heard, HeardFrom::frames)
                .description("Frames this site accepted from the other (signed, addressed to it, not replayed)").tag("site", site).tag("outpost", outpost)
                .register(meters);
        this.deferred = new DeferredDeliveries(siteData.deferred(), codec, clock);
        Gauge.builder("outpost.link.deferred", deferred, DeferredDeliveries::size)
                .description("Messages that arrived whole and wait to be applied until a local cause (registry down, disk full) clears")
                .tag("site", site).tag("outpost", outpost).register(meters);
        Gauge.builder("outpost.transfer.bytes.in.flight", receiver, transfers -> transfers.inProgress().stream()
                        .mapToLong(transfer -> transfer.size() - transfer.receivedBytes()).sum())
                .description("Bytes of transfers to this site not yet received").tag("site", site).tag("outpost", outpost).register(meters);
        Gauge.builder("outpost.transfer.bytes.waiting.for.room", receiver, transfers -> transfers.inProgress().stream()
                        .filter(transfer -> transfer.waiting() != null).mapToLong(transfer -> transfer.waiting().neededBytes()).sum())
                .description("Bytes that transfers to this site still need and its disk has no room for: held by their senders until it has")
                .tag("site", site).tag("outpost", outpost).register(meters);
    }

    /**
     * A component for the outbox beside the site's own, on the same connections but outside the
     * transaction of the route that is answering: each answer leaves as it is made (the link starts on a
     * request's first blob while the rest is still being read from the origin), not when the request is
     * acknowledged. A request redelivered after a crash is answered again, which the other site applies
     * idempotently (a blob already on its way is not sent twice).
     */
    private static String outboxComponent(CamelContext camel, String site) {
        String name = site + "-outbox";
        if (camel.hasComponent(name) == null) {
            DelegatingConnectionFactory own = new DelegatingConnectionFactory();
            JmsComponent siteComponent = camel.getComponent(site, JmsComponent.class);
            own.setTargetConnectionFactory(siteComponent.getConnectionFactory());
            JmsComponent outbox = JmsComponent.jmsComponent(own);
            // the same queues as the site's component, however it names them
            outbox.getConfiguration().setDestinationResolver(siteComponent.getConfiguration().getDestinationResolver());
            outbox.setIncludeSentJMSMessageID(false);
            camel.addComponent(name, outbox);
        }
        return name;
    }

    public LinkOutbox outbox() {
        return outbox;
    }

    public EnvelopeCodec codec() {
        return codec;
    }

    /** What arrived and waits for a local cause to clear: what the site holds counts it as held. */
    public DeferredDeliveries deferred() {
        return deferred;
    }

    /** Starts taking messages off the link, each type to its handler; returns the inbox, which also applies imported ones. */
    public LinkInbox receive(Map<String, Consumer<Delivery>> handlers) throws Exception {
        LinkInbox opened = open(handlers);
        camel.addRoutes(new LinkInboundRoute(site, opened::accept));
        camel.addRoutes(new DeferredDeliveriesRoute(site, opened::retryDeferred));
        camel.addRoutes(new TransferCheckpointRoute(site, this::checkpoint, timing));
        return opened;
    }

    /**
     * The inbox that hands each type to its handler, for a site whose frames come in through another (the upstream's
     * {@link FleetInbox}, whose timers call {@link #checkpoint} and {@link LinkInbox#retryDeferred} of each link).
     */
    public LinkInbox open(Map<String, Consumer<Delivery>> handlers) throws Exception {
        ProducerTemplate producer = camel.createProducerTemplate();
        String dead = site + ":queue:" + Addresses.DEAD;
        inbox = new LinkInbox(site, outpost, codec, signatures, rejected, receiver, outbox, clock, handlers, deferred,
                failed -> producer.sendBodyAndHeaders(dead, failed.frame(), DeadLetters.about(failed.reason())), heard::frame);
        DeadLetters.ensureInstalled(camel, site);
        return inbox;
    }

    /** Reports gaps in transfers to this site that went quiet, and checkpoints quiet ones it sends. */
    public void checkpoint() {
        inbox.reportGaps(timing);
        outbox.checkpoint(timing.senderQuiet());
    }

    /** For a link that stops while its site runs on (an outpost removed from the fleet): its seen frames kept, its meters gone. */
    @Override
    public void close() {
        try {
            camel.removeService(closeSeen);
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the " + site + " link of outpost " + outpost + ": " + e.getMessage(), e);
        }
        seen.close();
        meters.getMeters().stream().filter(meter -> site.equals(meter.getId().getTag("site")) && outpost.equals(meter.getId().getTag("outpost")))
                .forEach(meters::remove);
    }
}
