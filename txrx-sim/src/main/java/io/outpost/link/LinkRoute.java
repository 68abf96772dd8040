package io.outpost.link;

import io.outpost.site.Addresses;
import io.outpost.site.SiteJms;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.builder.RouteBuilder;

/**
 * One direction of the simulated link. A message taken from the sending site's outbound queue is put
 * on the receiving site's inbound queue as a scheduled message, due when the link would deliver it: so
 * a message in flight is durable in the receiving broker and arrives after a restart. The take is
 * committed only after the put, and the receiving broker drops a second put of the same message
 * (duplicate id), so a crash between the two delivers it exactly once.
 */
public final class LinkRoute extends RouteBuilder {
    /** Artemis message properties: when to deliver, and the id its duplicate detection keys on. */
    static final String SCHEDULED_DELIVERY = "_AMQ_SCHED_DELIVERY";
    static final String DUPLICATE_ID = "_AMQ_DUPL_ID";

    private final LinkDirection direction;
    private final LinkSchedule schedule;
    private final LinkAccounting accounting;

    public LinkRoute(LinkDirection direction, LinkSchedule schedule, LinkAccounting accounting) {
        this.direction = direction;
        this.schedule = schedule;
        this.accounting = accounting;
    }

    @Override
    public void configure() {
        from(SiteJms.transactedConsumer(direction.fromSite(), Addresses.LINK_OUTBOUND))
                .routeId("link-" + direction.tag())
                .process(this::schedule)
                .to(direction.toSite() + ":queue:" + Addresses.LINK_INBOUND)
                .process(this::count);
    }

    private void schedule(Exchange exchange) throws InvalidPayloadException {
        byte[] frame = exchange.getIn().getMandatoryBody(byte[].class);
        exchange.getIn().setHeader(SCHEDULED_DELIVERY, schedule.arrivalOf(frame.length).toEpochMilli());
        exchange.getIn().setHeader(DUPLICATE_ID, exchange.getIn().getHeader("JMSMessageID", String.class));
    }

    private void count(Exchange exchange) throws InvalidPayloadException {
        String type = exchange.getIn().getHeader(Addresses.TYPE, "unknown", String.class);
        accounting.count(direction, type, exchange.getIn().getMandatoryBody(byte[].class).length);
    }
}
