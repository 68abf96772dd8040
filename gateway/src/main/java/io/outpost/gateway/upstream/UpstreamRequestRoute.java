package io.outpost.gateway.upstream;

import io.outpost.site.Addresses;
import io.outpost.site.SiteJms;
import io.outpost.site.DeadLetters;
import org.apache.camel.builder.RouteBuilder;

/** Requests arriving over the link at the upstream site. */
public final class UpstreamRequestRoute extends RouteBuilder {
    private final UpstreamInbox inbox;

    public UpstreamRequestRoute(UpstreamInbox inbox) {
        this.inbox = inbox;
    }

    @Override
    public void configure() {
        from(SiteJms.transactedConsumer("upstream", Addresses.LINK_INBOUND))
                .routeId("upstream-requests")
                .routeConfigurationId(DeadLetters.configurationId("upstream"))
                .process(exchange -> inbox.accept(exchange.getIn().getMandatoryBody(byte[].class)));
    }
}
