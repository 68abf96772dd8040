package io.outpost.txrxsim.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.outpost.broker.TwoSites;
import io.outpost.brokerclient.Addresses;
import io.outpost.data.DataDirectory;
import io.outpost.link.LinkAccounting;
import io.outpost.link.LinkDirection;
import io.outpost.link.LinkTotal;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.ConsumerTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A message in flight on the link lives in the receiving broker's journal, not in the simulator's memory. */
class LinkRestartTest {
    private static final Duration DELAY = Duration.ofMillis(1500);

    @RegisterExtension
    final TwoSites sites = new TwoSites();

    @Test
    void aMessageInFlightWhenEverythingStopsIsDeliveredOnceAfterRestart() throws Exception {
        LinkAccounting accounting = startLink(sites.camel());
        sites.camel().createProducerTemplate().sendBodyAndHeaders("outpost:queue:" + Addresses.LINK_OUTBOUND,
                "in flight".getBytes(), Map.of(Addresses.TYPE, "GitSync"));
        await().atMost(Duration.ofSeconds(5)).until(() -> accounting.bytes(LinkDirection.TO_UPSTREAM) > 0);
        assertThat(sites.upstream().depth(Addresses.LINK_INBOUND)).as("scheduled, not yet due").isEqualTo(1);

        sites.restart();
        CamelContext camel = sites.camel();
        LinkAccounting afterRestart = startLink(camel);

        ConsumerTemplate consumer = camel.createConsumerTemplate();
        byte[] delivered = consumer.receiveBody("upstream:queue:" + Addresses.LINK_INBOUND, 10_000, byte[].class);
        assertThat(delivered).isEqualTo("in flight".getBytes());
        assertThat(consumer.receiveBody("upstream:queue:" + Addresses.LINK_INBOUND, DELAY.multipliedBy(2).toMillis()))
                .as("a second copy").isNull();
        assertThat(afterRestart.totals()).as("totals survive the restart and the message crossed once")
                .isEqualTo(Map.of("to-upstream", Map.of("GitSync", new LinkTotal(1, 9))));
    }

    private LinkAccounting startLink(CamelContext camel) throws Exception {
        return new SimulatedLink("polar-1", new DataDirectory(sites.data()), new LinkSettings(DELAY, Duration.ZERO, 0),
                new SimpleMeterRegistry(), Clock.systemUTC()).install(camel);
    }
}
