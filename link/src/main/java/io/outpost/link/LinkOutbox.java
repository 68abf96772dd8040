package io.outpost.link;

import io.micrometer.core.instrument.Counter;
import io.outpost.brokerclient.Addresses;
import io.outpost.content.Tenants;
import io.outpost.link.trust.FrameSignatures;
import io.outpost.protocol.Envelope;
import io.outpost.protocol.EnvelopeCodec;
import io.outpost.protocol.MessageTypes;
import io.outpost.protocol.Messages;
import io.outpost.protocol.transfer.Chunk;
import io.outpost.protocol.transfer.OutgoingTransfers;
import io.outpost.protocol.transfer.TransferReceiver;
import io.outpost.protocol.transfer.TransferReport;
import io.outpost.protocol.transfer.TransferStart;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;
import org.apache.camel.ProducerTemplate;

/**
 * Sends envelopes from this site over the link, each frame signed with the site's key: onto the site broker's outbound
 * queue ({@link LinkDirection#outbound}), where they wait durably until the link takes them. Bodies larger than a chunk go as transfers,
 * kept until the receiver reports them complete, so lost chunks can be sent again.
 */
public final class LinkOutbox implements Outbox {
    private final ProducerTemplate producer;
    private final String endpoint;
    private final LinkDirection direction;
    private final String outpost;
    private final EnvelopeCodec codec;
    private final FrameSignatures signatures;
    private final OutgoingTransfers transfers;
    private final LongSupplier room;
    private final Clock clock;
    private final Counter resentBytes;

    /**
     * @param direction the way this site sends
     * @param outpost the outpost this site's messages go to or come from (the outpost's own name at the outpost)
     */
    LinkOutbox(ProducerTemplate producer, String siteComponent, LinkDirection direction, String outpost, EnvelopeCodec codec, FrameSignatures signatures,
               OutgoingTransfers transfers, LongSupplier room, Clock clock, Counter resentBytes) {
        this.room = room;
        this.producer = producer;
        this.endpoint = siteComponent + ":queue:" + direction.outbound(outpost) + "?preserveMessageQos=true";
        this.direction = direction;
        this.outpost = outpost;
        this.codec = codec;
        this.signatures = signatures;
        this.transfers = transfers;
        this.clock = clock;
        this.resentBytes = resentBytes;
    }

    /**
     * Requests and transfer reports say how much room this site has for transfers (see {@link TransferReceiver#room}):
     * those are what the other site answers with transfers, and it does not start one that cannot fit.
     */
    @Override
    public void send(Envelope envelope) {
        if (envelope.startsConversation() || envelope.type().equals(MessageTypes.TRANSFER_REPORT)) {
            envelope = envelope.withRoom(room.getAsLong());
        }
        Map<String, Object> headers = new HashMap<>(Addresses.propertiesOf(envelope));
        if (direction == LinkDirection.TO_UPSTREAM) {
            // the upstream's inbound queue is the whole fleet's: of upstream gateways sharing it, one takes all of an outpost's
            headers.put(Addresses.GROUP, outpost);
        }
        headers.put("JMSPriority", Math.max(0, Math.min(9, envelope.priority())));
        if (bulk(envelope)) {
            headers.put(Addresses.CLASS, Addresses.BULK);
        }
        byte[] frame = codec.encode(envelope);
        int copies = MessageCopies.copied(envelope) ? transfers.signalCopies(frame.length) : 1;
        for (int copy = 0; copy < copies; copy++) {
            producer.sendBodyAndHeaders(endpoint, signatures.sign(frame, copy), headers);
        }
    }

    /** Image content, whole or as the chunks of its transfer: what a link out of its daily budget holds back. */
    private boolean bulk(Envelope envelope) {
        String carried = switch (envelope.type()) {
            case MessageTypes.TRANSFER_START -> Messages.read(envelope, TransferStart.class).carriedType();
            case MessageTypes.CHUNK, MessageTypes.REPAIR_CHUNK -> transfers.carriedTypeOf(Messages.read(envelope, Chunk.class).transferId()).orElse("");
            default -> envelope.type();
        };
        return carried.equals(MessageTypes.IMAGE_BLOB) || carried.equals(MessageTypes.IMAGE_CONTENT);
    }

    /** The body is moved into the outgoing transfers and kept until the receiver has all of it. */
    @Override
    public void send(Envelope message, Path body) {
        sendAll(transfers.send(message, body, clock.instant()));
    }

    @Override
    public void send(Envelope message, Path body, String knownSha256) {
        sendAll(transfers.send(message, body, knownSha256, clock.instant()));
    }

    /** See {@link OutgoingTransfers#sending}. */
    @Override
    public boolean sending(String type, String field, String value) {
        return transfers.sending(type, field, value);
    }

    /** Transfers this site is still sending: the other site has not reported them complete. */
    public int transfersInFlight() {
        return transfers.pending();
    }

    /** The room the other site said it has for transfers from this one. */
    void receiverRoom(long bytes) {
        transfers.receiverRoom(bytes);
    }

    /** A receiver's report on a transfer this site sent: send again what it lacks. */
    public void resend(TransferReport report) {
        List<Envelope> again = transfers.answer(report, clock.instant());
        again.stream().filter(envelope -> envelope.type().equals(MessageTypes.CHUNK) && envelope.body() != null)
                .forEach(chunk -> resentBytes.increment(chunk.body().length));
        sendAll(again.iterator());
    }

    /** Tells the sender of a transfer what this site holds of it. */
    public void report(TransferReport report) {
        send(new Envelope(UUID.randomUUID().toString(), MessageTypes.TRANSFER_REPORT, report.transferId(), outpost, Tenants.OUTPOST,
                clock.instant(), MessageTypes.priorityOf(MessageTypes.TRANSFER_REPORT), null, Messages.headers(report), null));
    }

    /** Checkpoints for outgoing transfers that heard nothing for {@code quiet}. */
    public void checkpoint(Duration quiet) {
        sendAll(transfers.checkpoints(clock.instant(), quiet).iterator());
    }

    private void sendAll(Iterator<Envelope> envelopes) {
        while (envelopes.hasNext()) {
            send(envelopes.next());
        }
    }
}
