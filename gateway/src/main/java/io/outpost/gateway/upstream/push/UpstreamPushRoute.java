package io.outpost.gateway.upstream.push;

import java.time.Duration;
import org.apache.camel.builder.RouteBuilder;

/** Push mode: upstream looks at the subscribed origins every {@code pollEvery}. */
public final class UpstreamPushRoute extends RouteBuilder {
    private final UpstreamPush push;
    private final Duration pollEvery;

    public UpstreamPushRoute(UpstreamPush push, Duration pollEvery) {
        this.push = push;
        this.pollEvery = pollEvery;
    }

    @Override
    public void configure() {
        fromF("timer:upstream-push?period=%d&delay=%d", pollEvery.toMillis(), pollEvery.toMillis())
                .routeId("upstream-push")
                .process(exchange -> push.poll());
    }
}
