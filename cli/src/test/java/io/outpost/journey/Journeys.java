package io.outpost.journey;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.outpost.cli.OneMachine;
import io.outpost.link.LinkSettings;
import io.outpost.site.OperatorEvents;
import io.outpost.site.TwoSites;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.apache.camel.CamelContext;

/** The one-machine loop on a test's brokers, with a 200 ms link and no timers that race the test. */
final class Journeys {
    static final Path TERRAFORM = Path.of(System.getProperty("outpost.terraform", "/usr/local/bin/terraform"));

    private Journeys() {
    }

    static OneMachine.Running start(TwoSites sites) throws Exception {
        return start(sites, sites.camel(), null);
    }

    static OneMachine.Running start(TwoSites sites, CamelContext camel, OneMachine.Registries registries) throws Exception {
        return start(sites, camel, registries, new LinkSettings(Duration.ofMillis(200), Duration.ZERO, 0), Duration.ofSeconds(20));
    }

    static OneMachine.Running start(TwoSites sites, CamelContext camel, OneMachine.Registries registries, LinkSettings link,
                                    Duration syncWait) throws Exception {
        return new OneMachine(sites.data(),
                new OneMachine.DemoSettings(link, null, Duration.ofHours(1), Duration.ofHours(1), syncWait, TERRAFORM, registries),
                new SimpleMeterRegistry(), OperatorEvents.printingTo(System.out, Clock.systemUTC()), Clock.systemUTC())
                .install(camel);
    }
}
