package io.outpost.gateway.upstream.push;

import io.outpost.brokerclient.Addresses;
import java.time.Duration;
import org.apache.camel.builder.RouteBuilder;

/**
 * Push mode: upstream looks at the subscribed origins every {@code pollEvery}, once for the whole fleet. Each gateway puts a
 * turn on the broker's exclusive {@link Addresses#PUSH_POLL} every {@code pollEvery}; the one gateway Artemis gives that
 * queue to takes every turn, so of several sharing the fleet one polls (one fetch per repo) and pushes.
 */
public final class UpstreamPushRoute extends RouteBuilder {
    private final Runnable poll;
    private final Duration pollEvery;
    private long polledAt = System.nanoTime() - Long.MAX_VALUE / 2;

    /** @param poll every served outpost's {@link UpstreamPush#poll}, as the origins are now */
    public UpstreamPushRoute(Runnable poll, Duration pollEvery) {
        this.poll = poll;
        this.pollEvery = pollEvery;
    }

    @Override
    public void configure() {
        fromF("timer:upstream-push?period=%d&delay=%d", pollEvery.toMillis(), pollEvery.toMillis())
                .routeId("upstream-push-turn")
                .setBody(constant(new byte[0]))
                .toF("upstream:queue:%s?deliveryPersistent=false", Addresses.PUSH_POLL);
        // every gateway's turns come here: one poll per half period at most, however many gateways put turns
        from("upstream:queue:" + Addresses.PUSH_POLL)
                .routeId("upstream-push")
                .process(exchange -> {
                    long now = System.nanoTime();
                    if (now - polledAt >= pollEvery.toNanos() / 2) {
                        polledAt = now;
                        poll.run();
                    }
                });
    }
}
