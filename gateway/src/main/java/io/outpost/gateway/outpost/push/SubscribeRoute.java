package io.outpost.gateway.outpost.push;

import io.outpost.content.Tenants;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.builder.RouteBuilder;

/**
 * Push mode: the outpost subscribes once its routes run (a message cannot be sent before the context starts), then
 * sends again, every {@code resendAfter}, each subscription upstream has not answered.
 */
public final class SubscribeRoute extends RouteBuilder {
    private final String tenant;
    private final OutpostSubscriptions subscriptions;
    private final Duration resendAfter;

    public SubscribeRoute(String tenant, OutpostSubscriptions subscriptions, Duration resendAfter) {
        this.tenant = tenant;
        this.subscriptions = subscriptions;
        this.resendAfter = resendAfter;
    }

    @Override
    public void configure() {
        String name = Tenants.OUTPOST.equals(tenant) ? "outpost-subscribe" : "outpost-subscribe-" + tenant;
        // the first tick subscribes to everything; the later ones send again only what upstream has not answered
        AtomicBoolean subscribed = new AtomicBoolean();
        fromF("timer:%s?delay=1&period=%d", name, resendAfter.toMillis())
                .routeId(name)
                .process(exchange -> {
                    if (subscribed.compareAndSet(false, true)) {
                        subscriptions.subscribeAll();
                    } else {
                        subscriptions.resendUnanswered(resendAfter);
                    }
                });
    }
}
