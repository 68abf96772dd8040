package io.outpost.link.network;

import io.outpost.brokerclient.Addresses;
import io.outpost.brokerclient.BrokerAccess;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import java.time.Duration;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.activemq.artemis.jms.client.ActiveMQSession;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures the real link's round trip every {@code period} while the link is connected: one blocking query
 * the upstream broker answers (does {@code link.inbound} exist), timed. On a connection of its own, tried
 * once and not reconnected: a query that times out fails only the probe's connection (Artemis takes a
 * blocking call's timeout for a dead connection), never the link's. Each look keeps the link's state once.
 */
final class LinkProbeRoute extends RouteBuilder implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LinkProbeRoute.class);
    private static final SimpleString INBOUND = SimpleString.of(Addresses.LINK_INBOUND);

    private final ActiveMQConnectionFactory factory;
    private final LinkConnection connection;
    private final Duration period;
    private Connection probe;
    private Session session;

    LinkProbeRoute(BrokerAccess upstream, LinkConnection connection, Duration period) {
        this.factory = new ActiveMQConnectionFactory(upstream.url(), upstream.user(), upstream.password());
        factory.setInitialConnectAttempts(1);
        factory.setReconnectAttempts(0);
        this.connection = connection;
        this.period = period;
    }

    @Override
    public void configure() {
        from("timer:link-probe?delay=1000&period=" + period.toMillis())
                .routeId("link-probe")
                .process(exchange -> probe());
    }

    private synchronized void probe() {
        if (connection.state().connected()) {
            try {
                if (session == null) {
                    probe = factory.createConnection();
                    session = probe.createSession(false, Session.AUTO_ACKNOWLEDGE);
                }
                long start = System.nanoTime();
                ((ActiveMQSession) session).getCoreSession().queueQuery(INBOUND);
                connection.measured(Duration.ofNanos(System.nanoTime() - start));
                return;
            } catch (Exception e) {
                // the link's own connection says when the link is lost; a probe that fails measures nothing and starts afresh
                LOG.debug("link probe failed: {}", e.getMessage());
                close();
            }
        }
        // nothing measured: the state is kept all the same, so budget, window and its age stay current
        connection.record();
    }

    @Override
    public synchronized void close() {
        try {
            if (probe != null) {
                probe.close();
            }
        } catch (JMSException e) {
            LOG.debug("link probe connection did not close cleanly: {}", e.getMessage());
        } finally {
            probe = null;
            session = null;
        }
    }
}
