package io.outpost.site;

import io.outpost.protocol.Envelope;
import io.outpost.protocol.EnvelopeCodec;
import io.outpost.transfer.TransferSender;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Iterator;
import java.util.Map;
import org.apache.camel.ProducerTemplate;

/**
 * Sends envelopes from this site over the link: onto the site broker's {@link Addresses#LINK_OUTBOUND}
 * queue, where they wait durably until the link takes them. Bodies larger than a chunk go as transfers.
 */
public final class LinkOutbox {
    private final ProducerTemplate producer;
    private final String endpoint;
    private final EnvelopeCodec codec;
    private final TransferSender transfers;
    private final Clock clock;

    public LinkOutbox(ProducerTemplate producer, String siteComponent, EnvelopeCodec codec, TransferSender transfers, Clock clock) {
        this.producer = producer;
        this.endpoint = siteComponent + ":queue:" + Addresses.LINK_OUTBOUND;
        this.codec = codec;
        this.transfers = transfers;
        this.clock = clock;
    }

    public void send(Envelope envelope) {
        producer.sendBodyAndHeaders(endpoint, codec.encode(envelope), properties(envelope));
    }

    /** Sends {@code message} with {@code body} as its body, chunked when it is larger than one chunk. */
    public void send(Envelope message, Path body) {
        for (Iterator<Envelope> it = transfers.envelopes(message, body, clock.instant()); it.hasNext(); ) {
            send(it.next());
        }
    }

    /** Broker-side copies of envelope fields, so the link and tools can route without decoding. */
    public static Map<String, Object> properties(Envelope envelope) {
        return Map.of(Addresses.TYPE, envelope.type(), Addresses.CORRELATION, envelope.correlationId());
    }
}
