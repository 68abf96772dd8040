package io.outpost.link;

import io.outpost.brokerclient.Addresses;
import io.outpost.brokerclient.DeadLetters;
import io.outpost.brokerclient.SiteJms;
import io.outpost.protocol.LocalUnavailableException;
import java.util.function.Consumer;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;

/**
 * Messages the link delivered to a site, each handled in the transaction that takes it off the queue. One that cannot
 * even be stored for a local cause (the disk full to the last byte) is left on the queue, which offers it again after
 * 1 s, doubling to 10 s, until it can.
 */
public final class LinkInboundRoute extends RouteBuilder {
    private final String site;
    private final Consumer<byte[]> inbox;
    private final int consumers;

    /** @param inbox takes each signed frame: the site's {@link LinkInbox#accept} */
    public LinkInboundRoute(String site, Consumer<byte[]> inbox) {
        this(site, inbox, 1);
    }

    /**
     * @param inbox takes each signed frame: the upstream's {@link FleetInbox#accept}
     * @param consumers how many take frames at once: the upstream's take several outposts' at once, each outpost's in turn (its message group)
     */
    public LinkInboundRoute(String site, Consumer<byte[]> inbox, int consumers) {
        this.site = site;
        this.inbox = inbox;
        this.consumers = consumers;
    }

    @Override
    public void configure() {
        // the warning below says why a message stays; the listener's own report of it, with a stack trace each time, would repeat
        from(SiteJms.transactedConsumer(site, Addresses.LINK_INBOUND) + "&concurrentConsumers=" + consumers
                + "&errorHandlerLoggingLevel=DEBUG&errorHandlerLogStackTrace=false")
                .routeId(site + "-link-inbound")
                .routeConfigurationId(DeadLetters.configurationId(site))
                .onException(LocalUnavailableException.class).handled(false).logExhausted(false)
                    .log(LoggingLevel.WARN, "left on " + Addresses.LINK_INBOUND + " to be taken again shortly: ${exception.message}").end()
                .process(exchange -> inbox.accept(exchange.getIn().getMandatoryBody(byte[].class)));
    }
}
