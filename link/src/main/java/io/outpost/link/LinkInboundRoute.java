package io.outpost.link;

import io.outpost.brokerclient.Addresses;
import io.outpost.brokerclient.DeadLetters;
import io.outpost.brokerclient.SiteJms;
import org.apache.camel.builder.RouteBuilder;

/** Messages the link delivered to a site, each handled in the transaction that takes it off the queue. */
public final class LinkInboundRoute extends RouteBuilder {
    private final String site;
    private final LinkInbox inbox;

    public LinkInboundRoute(String site, LinkInbox inbox) {
        this.site = site;
        this.inbox = inbox;
    }

    @Override
    public void configure() {
        from(SiteJms.transactedConsumer(site, Addresses.LINK_INBOUND))
                .routeId(site + "-link-inbound")
                .routeConfigurationId(DeadLetters.configurationId(site))
                .process(exchange -> inbox.accept(exchange.getIn().getMandatoryBody(byte[].class)));
    }
}
