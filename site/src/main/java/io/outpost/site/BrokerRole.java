package io.outpost.site;

import java.util.Locale;

/**
 * Who connects to a site's broker, each as its own user with only the permissions its work needs:
 * the gateway (everything; it hosts the broker), the link (takes {@code link.outbound}, puts on
 * {@code link.inbound}), a worker and an operator (send requests, read ready events).
 */
public enum BrokerRole {
    GATEWAY, LINK, WORKER, OPERATOR;

    public String user() {
        return name().toLowerCase(Locale.ROOT);
    }
}
