package io.outpost.txrxsim.link;

import io.outpost.brokerclient.Addresses;
import io.outpost.brokerclient.SiteJms;
import io.outpost.link.LinkAccounting;
import io.outpost.link.LinkDirection;
import io.outpost.protocol.EnvelopeCodec;
import java.util.Random;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.builder.RouteBuilder;

/**
 * One direction of the simulated link. A message taken from the sending site's outbound queue is put
 * on the receiving site's inbound queue as a scheduled message, due when the link would deliver it: so
 * a message in flight is durable in the receiving broker and arrives after a restart. The take is
 * committed only after the put, and the receiving broker drops a second put of the same message
 * (duplicate id), so a crash between the two delivers it exactly once. A put that fails (the other
 * broker is down) is retried in place, with backoff, so the link stalls rather than reorders. Faults
 * are drawn per message:
 * lost (counted, never put), corrupted (a body byte flipped), duplicated (put twice), held back.
 */
public final class LinkRoute extends RouteBuilder {
    /** Artemis message properties: when to deliver, and the id its duplicate detection keys on. */
    static final String SCHEDULED_DELIVERY = "_AMQ_SCHED_DELIVERY";
    static final String DUPLICATE_ID = "_AMQ_DUPL_ID";
    private static final String LOST = "outpost.link.lost";
    private static final String DUPLICATED = "outpost.link.duplicated";

    private final LinkDirection direction;
    private final String outpost;
    private final LinkSchedule schedule;
    private final LinkFaults faults;
    private final LinkAccounting accounting;
    private final Random random;

    /** @param outpost the outpost at the far end, whose messages the upstream keeps on a queue of their own */
    public LinkRoute(LinkDirection direction, String outpost, LinkSchedule schedule, LinkFaults faults, LinkAccounting accounting, Random random) {
        this.direction = direction;
        this.outpost = outpost;
        this.schedule = schedule;
        this.faults = faults;
        this.accounting = accounting;
        this.random = random;
    }

    @Override
    public void configure() {
        String inbound = direction.toSite() + ":queue:" + Addresses.LINK_INBOUND;
        from(SiteJms.transactedConsumer(direction.fromSite(), direction.outbound(outpost)))
                .routeId("link-" + direction.tag())
                // While the other site's broker is away, retry the same message until it is back: moving on
                // would reorder the link, and a receiver would take delayed chunks for lost ones.
                .errorHandler(defaultErrorHandler().maximumRedeliveries(-1).redeliveryDelay(250).useExponentialBackOff()
                        .backOffMultiplier(2).maximumRedeliveryDelay(5_000).allowRedeliveryWhileStopping(false)
                        .retryAttemptedLogLevel(org.apache.camel.LoggingLevel.DEBUG))
                .process(this::transmit)
                .choice()
                    .when(exchangeProperty(LOST).isEqualTo(true))
                        .process(exchange -> accounting.countLost(direction, type(exchange), body(exchange).length))
                    .otherwise()
                        .to(inbound)
                        .process(this::count)
                        .filter(exchangeProperty(DUPLICATED).isEqualTo(true))
                            .process(this::duplicate)
                            .to(inbound)
                            .process(this::count)
                        .end()
                .end();
    }

    private void transmit(Exchange exchange) throws InvalidPayloadException {
        byte[] frame = body(exchange);
        long arrival = schedule.arrivalOf(frame.length).toEpochMilli();
        if (chance(faults.loss())) {
            exchange.setProperty(LOST, true);
            return;
        }
        if (chance(faults.reorder())) {
            arrival = schedule.heldBack(java.time.Instant.ofEpochMilli(arrival)).toEpochMilli();
        }
        if (chance(faults.corrupt())) {
            corruptBody(frame);
        }
        exchange.setProperty(DUPLICATED, chance(faults.duplicate()));
        exchange.getIn().setHeader(SCHEDULED_DELIVERY, arrival);
        exchange.getIn().setHeader(DUPLICATE_ID, exchange.getIn().getHeader("JMSMessageID", String.class));
    }

    private void duplicate(Exchange exchange) {
        exchange.getIn().setHeader(DUPLICATE_ID, exchange.getIn().getHeader(DUPLICATE_ID, String.class) + "-copy");
        exchange.getIn().setHeader(SCHEDULED_DELIVERY, exchange.getIn().getHeader(SCHEDULED_DELIVERY, Long.class) + 1);
    }

    /** Flips one byte of the envelope's body; a message without a body has nothing to corrupt. */
    private void corruptBody(byte[] frame) {
        int bodyStart = EnvelopeCodec.bodyStart(frame);
        if (bodyStart >= 0 && bodyStart < frame.length) {
            int at = bodyStart + random.nextInt(frame.length - bodyStart);
            frame[at] ^= (byte) (1 + random.nextInt(255));
        }
    }

    private boolean chance(double probability) {
        return probability > 0 && random.nextDouble() < probability;
    }

    private void count(Exchange exchange) throws InvalidPayloadException {
        accounting.count(direction, type(exchange), body(exchange).length);
    }

    private static String type(Exchange exchange) {
        return exchange.getIn().getHeader(Addresses.TYPE, "unknown", String.class);
    }

    private static byte[] body(Exchange exchange) throws InvalidPayloadException {
        return exchange.getIn().getMandatoryBody(byte[].class);
    }
}
