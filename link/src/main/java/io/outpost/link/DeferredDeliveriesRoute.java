package io.outpost.link;

import org.apache.camel.builder.RouteBuilder;

/** Every second, applies again what waits for a local cause to clear, when its retry is due ({@link DeferredDeliveries}). */
public final class DeferredDeliveriesRoute extends RouteBuilder {
    private final String site;
    private final Runnable retry;

    /** @param retry applies again what each inbox of the site keeps */
    public DeferredDeliveriesRoute(String site, Runnable retry) {
        this.site = site;
        this.retry = retry;
    }

    @Override
    public void configure() {
        from("timer:" + site + "-deferred?period=1000&delay=1000")
                .routeId(site + "-deferred")
                .process(exchange -> retry.run());
    }
}
