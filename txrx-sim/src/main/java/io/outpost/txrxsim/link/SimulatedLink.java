package io.outpost.txrxsim.link;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.outpost.data.DataDirectory;
import io.outpost.link.LinkAccounting;
import io.outpost.link.LinkDirection;
import io.outpost.link.LinkTransport;
import java.time.Clock;
import java.util.Random;
import org.apache.camel.CamelContext;

/**
 * The simulated link between the outpost's and the upstream's brokers, both ways.
 *
 * @param outpost the outpost at the far end
 * @param data the data directory, whose link folder keeps the link's settings and totals
 */
public record SimulatedLink(String outpost, DataDirectory data, LinkSettings settings, MeterRegistry registry, Clock clock) implements LinkTransport {

    @Override
    public LinkAccounting install(CamelContext camel) throws Exception {
        LinkAccounting accounting = new LinkAccounting(registry, data.linkStats());
        LinkState.record(data, settings);
        Gauge.builder("outpost.link.up", settings.windows(), windows -> windows.isUp(clock.instant()) ? 1 : 0)
                .description("1 while the simulated link's window is open, 0 during an outage").register(registry);
        Gauge.builder("outpost.link.delay.seconds", settings, link -> link.delay().toMillis() / 1000.0)
                .description("The simulated link's one-way delay").register(registry);
        Random random = settings.seed() == null ? new Random() : new Random(settings.seed());
        for (LinkDirection direction : LinkDirection.values()) {
            camel.addRoutes(new LinkRoute(direction, outpost, new LinkSchedule(settings, clock, random), settings.faults(), accounting, random));
        }
        return accounting;
    }
}
