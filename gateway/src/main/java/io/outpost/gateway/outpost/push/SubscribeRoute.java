package io.outpost.gateway.outpost.push;

import io.outpost.content.Tenants;
import org.apache.camel.builder.RouteBuilder;

/** Push mode: the outpost subscribes once its routes run (a message cannot be sent before the context starts). */
public final class SubscribeRoute extends RouteBuilder {
    private final String tenant;
    private final OutpostSubscriptions subscriptions;

    public SubscribeRoute(String tenant, OutpostSubscriptions subscriptions) {
        this.tenant = tenant;
        this.subscriptions = subscriptions;
    }

    @Override
    public void configure() {
        String name = Tenants.OUTPOST.equals(tenant) ? "outpost-subscribe" : "outpost-subscribe-" + tenant;
        from("timer:" + name + "?repeatCount=1&delay=1")
                .routeId(name)
                .process(exchange -> subscriptions.subscribeAll());
    }
}
