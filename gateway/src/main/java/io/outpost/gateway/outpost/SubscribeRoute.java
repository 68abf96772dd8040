package io.outpost.gateway.outpost;

import org.apache.camel.builder.RouteBuilder;

/** Push mode: the outpost subscribes once its routes run (a message cannot be sent before the context starts). */
final class SubscribeRoute extends RouteBuilder {
    private final OutpostSubscriptions subscriptions;

    SubscribeRoute(OutpostSubscriptions subscriptions) {
        this.subscriptions = subscriptions;
    }

    @Override
    public void configure() {
        from("timer:outpost-subscribe?repeatCount=1&delay=1")
                .routeId("outpost-subscribe")
                .process(exchange -> subscriptions.subscribeAll());
    }
}
