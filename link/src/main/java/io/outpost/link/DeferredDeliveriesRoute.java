package io.outpost.link;

import org.apache.camel.builder.RouteBuilder;

/** Every second, applies again what waits for a local cause to clear, when its retry is due ({@link DeferredDeliveries}). */
final class DeferredDeliveriesRoute extends RouteBuilder {
    private final String site;
    private final LinkInbox inbox;

    DeferredDeliveriesRoute(String site, LinkInbox inbox) {
        this.site = site;
        this.inbox = inbox;
    }

    @Override
    public void configure() {
        from("timer:" + site + "-deferred?period=1000&delay=1000")
                .routeId(site + "-deferred")
                .process(exchange -> inbox.retryDeferred());
    }
}
