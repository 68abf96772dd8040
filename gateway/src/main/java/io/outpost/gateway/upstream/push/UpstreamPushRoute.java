package io.outpost.gateway.upstream.push;

import java.time.Duration;
import org.apache.camel.builder.RouteBuilder;

/** Push mode: upstream looks at the subscribed origins every {@code pollEvery}, once for the whole fleet. */
public final class UpstreamPushRoute extends RouteBuilder {
    private final Runnable poll;
    private final Duration pollEvery;

    /** @param poll every served outpost's {@link UpstreamPush#poll}, as the origins are now */
    public UpstreamPushRoute(Runnable poll, Duration pollEvery) {
        this.poll = poll;
        this.pollEvery = pollEvery;
    }

    @Override
    public void configure() {
        fromF("timer:upstream-push?period=%d&delay=%d", pollEvery.toMillis(), pollEvery.toMillis())
                .routeId("upstream-push")
                .process(exchange -> poll.run());
    }
}
