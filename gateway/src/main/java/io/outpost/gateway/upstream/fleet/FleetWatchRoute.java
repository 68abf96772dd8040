package io.outpost.gateway.upstream.fleet;

import java.time.Duration;
import org.apache.camel.builder.RouteBuilder;

/** Reads the fleet every {@code every}, so an outpost added, suspended or removed by a command is served so without a restart. */
public final class FleetWatchRoute extends RouteBuilder {
    private final ServedFleet fleet;
    private final Duration every;

    public FleetWatchRoute(ServedFleet fleet, Duration every) {
        this.fleet = fleet;
        this.every = every;
    }

    @Override
    public void configure() {
        fromF("timer:upstream-fleet?period=%d&delay=%d", every.toMillis(), every.toMillis())
                .routeId("upstream-fleet")
                .process(exchange -> fleet.sync());
    }
}
