package io.outpost.brokerclient;

import io.outpost.content.Tenants;
import java.util.Locale;

/**
 * Who connects to a site's broker, each as its own user with only the permissions its work needs:
 * the gateway (everything; it hosts the broker), the link (takes {@code link.outbound}, puts on
 * {@code link.inbound}), a worker and an operator (send requests, read ready events). Each tenant's
 * workers connect as a user of their own, {@link #workerOf(String)}.
 */
public enum BrokerRole {
    GATEWAY, LINK, WORKER, OPERATOR;

    public String user() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The user the workers of {@code tenant} connect as: {@code worker} for the outpost's own, {@code worker-<tenant>} for a tenant's. */
    public static String workerOf(String tenant) {
        return Tenants.OUTPOST.equals(tenant) ? WORKER.user() : WORKER.user() + "-" + Tenants.requireTenant(tenant);
    }
}
