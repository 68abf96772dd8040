package io.outpost.txrxsim.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.outpost.broker.TwoSites;
import io.outpost.brokerclient.Addresses;
import io.outpost.data.DataDirectory;
import io.outpost.protocol.Envelope;
import io.outpost.protocol.MessageTypes;
import io.outpost.protocol.Messages;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A conversation is one message group on both sides of the link, so that gateways sharing a site's
 * broker as competing consumers each take whole answers.
 */
class ConversationGroupTest {
    @RegisterExtension
    final TwoSites sites = new TwoSites();

    @Test
    void theConversationsGroupCrossesTheLinkWithEachMessage() throws Exception {
        CamelContext camel = sites.camel();
        new SimulatedLink("polar-1", new DataDirectory(sites.data()), new LinkSettings(Duration.ofMillis(50), Duration.ZERO, 0), new SimpleMeterRegistry(),
                Clock.systemUTC()).install(camel);
        Envelope answer = Envelope.request(MessageTypes.GIT_SYNC, "polar-1", Messages.headers(Map.of()), Instant.now(), Duration.ofMinutes(1))
                .reply(MessageTypes.GIT_BUNDLE, Messages.headers(Map.of()), null, Instant.now());

        camel.createProducerTemplate().sendBodyAndHeaders("upstream:queue:" + Addresses.outboundTo("polar-1"), new byte[] {1}, Addresses.propertiesOf(answer));
        Exchange arrived = camel.createConsumerTemplate().receive("outpost:queue:" + Addresses.LINK_INBOUND, 10_000);

        assertThat(arrived).isNotNull();
        assertThat(arrived.getIn().getHeader(Addresses.GROUP, String.class)).isEqualTo(answer.correlationId());
    }
}
