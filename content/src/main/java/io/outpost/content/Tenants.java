package io.outpost.content;

import java.util.regex.Pattern;

/**
 * Teams sharing one outpost. Each tenant's local repos and registry repositories are a namespace of its
 * own, its workers send on its own request queue and hear only its own ready events. {@link #OUTPOST}
 * (the empty name) is the outpost's own namespace, which a site without tenants uses alone.
 */
public final class Tenants {
    /** The outpost's own namespace: what every request is in unless a tenant's queue carried it. */
    public static final String OUTPOST = "";
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,30}");

    private Tenants() {
    }

    /** A tenant's name: lowercase letters, digits and '-', so it is safe as a path, a registry prefix and an address. */
    public static String requireTenant(String tenant) {
        if (tenant == null || !NAME.matcher(tenant).matches()) {
            throw new IllegalArgumentException("illegal tenant name '" + tenant + "': use 1-31 lowercase letters, digits and '-', starting with a letter");
        }
        return tenant;
    }

    /** {@link #OUTPOST} or a tenant's valid name. */
    public static String requireTenantOrOutpost(String tenant) {
        return OUTPOST.equals(tenant) ? tenant : requireTenant(tenant);
    }

    /** How the operator reads it in logs and errors. */
    public static String describe(String tenant) {
        return OUTPOST.equals(tenant) ? "the outpost's own namespace" : "tenant '" + tenant + "'";
    }
}
