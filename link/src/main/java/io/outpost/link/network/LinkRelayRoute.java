package io.outpost.link.network;

import io.outpost.brokerclient.Addresses;
import io.outpost.link.LinkAccounting;
import io.outpost.link.LinkDirection;
import java.time.Clock;
import java.time.Duration;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;

/**
 * One direction of the network link: each message taken from the sending broker's {@code link.outbound}
 * is put on the receiving broker's {@code link.inbound} with the sending broker's message id as its
 * duplicate id, so the receiving broker drops a second put of it (a take redelivered after a crash or a
 * reconnect between put and acknowledge). A put that fails is retried in place, forever, with backoff: the
 * link stalls while the path is down rather than reordering or dead-lettering, and what waits stays durable
 * in the sending broker. Before each put the route waits for what the operator's {@link LinkGovernor} allows.
 */
final class LinkRelayRoute extends RouteBuilder {
    static final String DUPLICATE_ID = "_AMQ_DUPL_ID";

    private final LinkDirection direction;
    private final String lane;
    private final String from;
    private final String to;
    private final LinkAccounting accounting;
    private final LinkGovernor governor;
    private final Clock clock;

    /**
     * @param lane what the route's id adds to the direction's, when a direction has more than one route ("-bulk")
     * @param from the endpoint the route takes from, consuming so that nothing is acknowledged before its put
     * @param to the receiving broker's inbound queue
     */
    LinkRelayRoute(LinkDirection direction, String lane, String from, String to, LinkAccounting accounting, LinkGovernor governor, Clock clock) {
        this.direction = direction;
        this.lane = lane;
        this.from = from;
        this.to = to;
        this.accounting = accounting;
        this.governor = governor;
        this.clock = clock;
    }

    @Override
    public void configure() {
        from(from)
                .routeId("link-" + direction.tag() + lane)
                .errorHandler(defaultErrorHandler().maximumRedeliveries(-1).redeliveryDelay(500).useExponentialBackOff()
                        .backOffMultiplier(2).maximumRedeliveryDelay(30_000).allowRedeliveryWhileStopping(false)
                        .retryAttemptedLogLevel(LoggingLevel.DEBUG).retriesExhaustedLogLevel(LoggingLevel.WARN))
                .process(exchange -> exchange.getIn().setHeader(DUPLICATE_ID, exchange.getIn().getHeader("JMSMessageID", String.class)))
                .process(exchange -> pace(exchange.getIn().getBody(byte[].class).length,
                        Addresses.BULK.equals(exchange.getIn().getHeader(Addresses.CLASS, String.class))))
                .to(to)
                .process(this::count);
    }

    /** Waits, a second at a time so that a window opening or a changed clock is seen, until the governor lets {@code bytes} go. */
    private void pace(long bytes, boolean bulk) throws InterruptedException {
        for (Duration wait = governor.waitBefore(direction, bytes, bulk, clock.instant()); !wait.isZero();
                wait = governor.waitBefore(direction, bytes, bulk, clock.instant())) {
            Thread.sleep(Math.max(1, Math.min(1_000, wait.toMillis())));
        }
    }

    private void count(Exchange exchange) {
        long bytes = exchange.getIn().getBody(byte[].class).length;
        governor.sent(direction, bytes, clock.instant());
        accounting.count(direction, exchange.getIn().getHeader(Addresses.TYPE, "unknown", String.class), bytes);
    }
}
