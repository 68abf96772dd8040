package io.outpost.txrxsim.origin;

import io.outpost.events.OperatorEvents;
import java.time.Duration;
import org.apache.camel.builder.RouteBuilder;

/** The demo origin publishes a new release on a timer. */
public final class DemoReleaseRoute extends RouteBuilder {
    private final DemoOrigin origin;
    private final Duration every;
    private final OperatorEvents events;

    public DemoReleaseRoute(DemoOrigin origin, Duration every, OperatorEvents events) {
        this.origin = origin;
        this.every = every;
        this.events = events;
    }

    @Override
    public void configure() {
        fromF("timer:demo-release?period=%d&delay=%d", every.toMillis(), every.toMillis())
                .routeId("demo-origin-releases")
                .process(exchange -> {
                    Release release = origin.publishNext();
                    events.emit(new ReleasePublished(release.number(), release.shortCommit()));
                });
    }
}
