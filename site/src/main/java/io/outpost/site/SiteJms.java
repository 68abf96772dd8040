package io.outpost.site;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.component.jms.JmsComponent;
import org.springframework.jms.connection.CachingConnectionFactory;

/** The Camel JMS component for one site's broker, registered under the site's name ("outpost:queue:..."). */
public final class SiteJms {
    private SiteJms() {
    }

    public static JmsComponent component(String brokerUrl) {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(brokerUrl);
        // Without a cache Camel would open a connection per message sent.
        CachingConnectionFactory caching = new CachingConnectionFactory(factory);
        caching.setSessionCacheSize(8);
        caching.setReconnectOnException(true);
        JmsComponent component = JmsComponent.jmsComponent(caching);
        component.setIncludeSentJMSMessageID(false);
        return component;
    }
}
