package io.outpost.cli.bench;

import jakarta.jms.Destination;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import org.springframework.jms.support.destination.DynamicDestinationResolver;

/**
 * Every queue and topic a component names, under {@code prefix}: so outposts of the fleet bench share one broker, each in a
 * namespace of its own addresses ({@code ship-7.link.inbound}), as if each had its own broker.
 */
final class AddressNamespace extends DynamicDestinationResolver {
    private final String prefix;

    AddressNamespace(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public Destination resolveDestinationName(Session session, String destinationName, boolean pubSubDomain) throws JMSException {
        return super.resolveDestinationName(session, prefix + destinationName, pubSubDomain);
    }
}
