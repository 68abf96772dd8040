package io.outpost.brokerclient;

import io.outpost.content.Tenants;
import io.outpost.protocol.Envelope;
import java.util.Map;

/** Queue and topic names on a site's broker. */
public final class Addresses {
    /** Workers' requests to their outpost gateway, in the outpost's own namespace. */
    public static final String REQUESTS = "outpost.requests";
    /** The outpost gateway tells workers what became ready (a topic: every worker of the namespace hears it). */
    public static final String READY = "outpost.ready";
    /** Imports from removable media the outpost gateway has yet to apply, taken off the request queue so they wait behind each other only. */
    public static final String IMPORTS = "outpost.imports";
    /** Messages the outpost sends over the link; at the upstream, each outpost's are on {@link #outboundTo}. */
    public static final String LINK_OUTBOUND = "link.outbound";
    /** Messages the link delivered to this site. */
    public static final String LINK_INBOUND = "link.inbound";
    /**
     * At the upstream: the turns to poll the origins and push, an exclusive queue (Artemis gives all its messages to one
     * consumer at a time), so that of several upstream gateways sharing a broker one polls and pushes, and another once it is gone.
     */
    public static final String PUSH_POLL = "upstream.push.poll";
    /** Messages that could not be processed, each with {@link #REJECT_REASON}. */
    public static final String DEAD = "dead";
    public static final String EXPIRED = "expired";

    /** Message properties (JMS) that copy envelope fields so brokers can route and select. */
    public static final String TYPE = "outpost_type";
    public static final String CORRELATION = "outpost_correlation";
    public static final String REJECT_REASON = "outpost_reject_reason";
    /** On a dead letter: the queue it was taken from, where {@code outpost dead retry} puts it back. */
    public static final String DEAD_FROM = "outpost_dead_from";
    /** On a dead letter: the kind of failure, one of {@link DeadLetters#KINDS}. */
    public static final String DEAD_KIND = "outpost_dead_kind";
    /**
     * The message group (Artemis's {@code _AMQ_GROUP_ID}): a conversation's messages, so that of gateways
     * sharing a queue as competing consumers one takes a whole answer, transfers and all.
     */
    public static final String GROUP = "JMSXGroupID";
    /**
     * The class of a link message: {@link #BULK} for image content and the chunks that carry it, which a link
     * out of its daily budget holds back; anything else (config, control) is not held.
     */
    public static final String CLASS = "outpost_class";
    public static final String BULK = "bulk";
    /** Which outpost gateway process published a ready event, so the others learn from it and it does not. */
    public static final String PUBLISHED_BY = "outpost_gateway";

    private Addresses() {
    }

    /** The request queue of {@code tenant}: only its workers (and operators) may send on it, so it says whose a request is. */
    public static String requests(String tenant) {
        return Tenants.OUTPOST.equals(tenant) ? REQUESTS : REQUESTS + "." + Tenants.requireTenant(tenant);
    }

    /** The ready topic of {@code tenant}: only its workers (and operators) may listen. */
    public static String ready(String tenant) {
        return Tenants.OUTPOST.equals(tenant) ? READY : READY + "." + Tenants.requireTenant(tenant);
    }

    /**
     * At the upstream: the messages it sends to {@code outpost}, which that outpost's link alone takes. The upstream's
     * {@link #LINK_INBOUND} is one queue for the whole fleet: each frame says who signed it.
     */
    public static String outboundTo(String outpost) {
        return LINK_OUTBOUND + "." + outpost;
    }

    /** Broker-side copies of envelope fields, so the link and tools can route without decoding, and its conversation as the message group. */
    public static Map<String, Object> propertiesOf(Envelope envelope) {
        return Map.of(TYPE, envelope.type(), CORRELATION, envelope.correlationId(), GROUP, envelope.correlationId());
    }
}
