package io.outpost.journeys;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.outpost.broker.TwoSites;
import io.outpost.brokerclient.Addresses;
import io.outpost.cli.OneMachine;
import io.outpost.events.OperatorEvents;
import io.outpost.protocol.Envelope;
import io.outpost.protocol.EnvelopeCodec;
import io.outpost.protocol.ImagePull;
import io.outpost.protocol.MessageTypes;
import io.outpost.protocol.Messages;
import io.outpost.protocol.transfer.Chunk;
import io.outpost.txrxsim.link.LinkSettings;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.camel.CamelContext;

/** The one-machine loop on a test's brokers, with a 200 ms link and no timers that race the test. */
final class Journeys {
    static final Path TERRAFORM = Path.of(System.getProperty("outpost.terraform", "/usr/local/bin/terraform"));
    /** The metrics only an outpost gateway on the real link serves: NetworkLinkIT reads them, MetricsEndpointIT's loop has none. */
    static final List<String> REAL_LINK_METRICS = List.of("outpost_link_connected", "outpost_link_reconnects_total", "outpost_link_round_trip_seconds",
            "outpost_link_state_changed_seconds", "outpost_link_budget_left_bytes");

    private Journeys() {
    }

    /** Puts a worker's request for an image on the outpost's request queue, as {@code outpost}. */
    static void askForImage(CamelContext camel, String outpost, String repository, String reference) {
        EnvelopeCodec codec = new EnvelopeCodec(Chunk.SIZE);
        Envelope request = Envelope.request(MessageTypes.IMAGE_PULL, outpost,
                Messages.headers(new ImagePull(repository, reference, ImagePull.DEFAULT_PLATFORM, List.of())), Instant.now(), Duration.ofHours(1));
        camel.createProducerTemplate().sendBodyAndHeaders("outpost:queue:" + Addresses.REQUESTS, codec.encode(request), Addresses.propertiesOf(request));
    }

    static OneMachine.Running start(TwoSites sites) throws Exception {
        return start(sites, sites.camel(), null);
    }

    static OneMachine.Running start(TwoSites sites, CamelContext camel, OneMachine.Registries registries) throws Exception {
        return start(sites, camel, registries, new LinkSettings(Duration.ofMillis(200), Duration.ZERO, 0), Duration.ofSeconds(20));
    }

    static OneMachine.Running start(TwoSites sites, CamelContext camel, OneMachine.Registries registries, LinkSettings link,
                                    Duration syncWait) throws Exception {
        return start(sites, camel, registries, link, syncWait, new SimpleMeterRegistry());
    }

    /** As {@link #start(TwoSites, CamelContext, OneMachine.Registries, LinkSettings, Duration)}, measuring into {@code meters}. */
    static OneMachine.Running start(TwoSites sites, CamelContext camel, OneMachine.Registries registries, LinkSettings link,
                                    Duration syncWait, MeterRegistry meters) throws Exception {
        return new OneMachine(sites.data(),
                new OneMachine.DemoSettings(link, null, Duration.ofHours(1), Duration.ofHours(1), syncWait, TERRAFORM, registries),
                meters, OperatorEvents.printingTo(System.out, Clock.systemUTC()), Clock.systemUTC())
                .install(camel);
    }
}
