package io.outpost.brokerclient;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import org.apache.activemq.artemis.api.core.client.FailoverEventType;
import org.apache.activemq.artemis.jms.client.ActiveMQConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * Caches sessions and producers on one connection, and opens a new connection when the old one is lost;
 * but not when Artemis reports that the connection failed over (to an HA backup, or back to the same
 * broker after the path came back): it moved and works, and resetting it then closes every session in the
 * middle of its own reattachment, which left consumers stalled with messages they never acknowledged.
 * Tells its {@link ConnectionWatch} of each.
 */
final class FailoverAwareConnectionFactory extends CachingConnectionFactory {
    private static final Logger LOG = LoggerFactory.getLogger(FailoverAwareConnectionFactory.class);

    private final ConnectionWatch watch;

    FailoverAwareConnectionFactory(ConnectionFactory target, ConnectionWatch watch) {
        super(target);
        this.watch = watch;
    }

    @Override
    protected void prepareConnection(Connection connection) throws JMSException {
        super.prepareConnection(connection);
        if (connection instanceof ActiveMQConnection artemis) {
            artemis.setFailoverListener(event -> {
                if (event == FailoverEventType.FAILOVER_COMPLETED) {
                    watch.back();
                } else {
                    watch.lost();
                }
            });
        }
        watch.opened();
    }

    @Override
    public void onException(JMSException failure) {
        if (ActiveMQConnection.EXCEPTION_FAILOVER.equals(failure.getErrorCode())) {
            LOG.info("broker connection failed over and goes on: {}", failure.getMessage());
            return;
        }
        super.onException(failure);
    }
}
