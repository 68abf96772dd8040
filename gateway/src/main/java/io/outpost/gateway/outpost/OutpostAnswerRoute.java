package io.outpost.gateway.outpost;

import io.outpost.site.Addresses;
import io.outpost.site.SiteJms;
import io.outpost.site.DeadLetters;
import org.apache.camel.builder.RouteBuilder;

/** Answers arriving over the link at the outpost site, applied to the local sources. */
public final class OutpostAnswerRoute extends RouteBuilder {
    private final OutpostInbox inbox;

    public OutpostAnswerRoute(OutpostInbox inbox) {
        this.inbox = inbox;
    }

    @Override
    public void configure() {
        from(SiteJms.transactedConsumer("outpost", Addresses.LINK_INBOUND))
                .routeId("outpost-answers")
                .routeConfigurationId(DeadLetters.configurationId("outpost"))
                .process(exchange -> inbox.accept(exchange.getIn().getMandatoryBody(byte[].class)));
    }
}
