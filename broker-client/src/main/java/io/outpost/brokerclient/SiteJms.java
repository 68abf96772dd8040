package io.outpost.brokerclient;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.component.jms.JmsComponent;
import org.springframework.jms.connection.CachingConnectionFactory;

/** The Camel JMS component for one site's broker, registered under the site's name ("outpost:queue:..."). */
public final class SiteJms {
    private SiteJms() {
    }

    /**
     * Endpoint URI that consumes {@code queue} of {@code site} in a local JMS transaction: a message is
     * acknowledged only when the route finished with it, so a process killed mid-way gets it again.
     * No transaction manager: with one, Spring's listener container stops caching its consumer and
     * Artemis prefetches into consumers that are closed a second later, delaying delivery.
     */
    public static String transactedConsumer(String site, String queue) {
        return site + ":queue:" + queue + "?transacted=true&lazyCreateTransactionManager=false";
    }

    /**
     * Closes the cached connections of {@code components} once their context has stopped: left
     * open, they would be closed by the brokers' own shutdown, which then warns about each session.
     */
    public static void closeConnections(JmsComponent... components) {
        for (JmsComponent component : components) {
            if (component.getConnectionFactory() instanceof CachingConnectionFactory caching) {
                caching.destroy();
            }
        }
    }

    public static JmsComponent component(BrokerAccess broker) {
        return component(broker, ConnectionWatch.NONE);
    }

    /** The component, telling {@code watch} when its connection is made, lost and back. */
    public static JmsComponent component(BrokerAccess broker, ConnectionWatch watch) {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(broker.url(), broker.user(), broker.password());
        // Without a cache Camel would open a connection per message sent.
        CachingConnectionFactory caching = new FailoverAwareConnectionFactory(factory, watch);
        caching.setSessionCacheSize(8);
        caching.setReconnectOnException(true);
        JmsComponent component = JmsComponent.jmsComponent(caching);
        component.setIncludeSentJMSMessageID(false);
        return component;
    }
}
