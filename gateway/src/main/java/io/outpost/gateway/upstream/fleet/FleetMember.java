package io.outpost.gateway.upstream.fleet;

import io.outpost.content.Names;
import io.outpost.gateway.upstream.TenantAllowlists;
import java.util.List;
import java.util.Map;

/**
 * One outpost of the fleet, as its upstream's operator added it ({@code outpost fleet add}).
 *
 * @param outpost its name, under which its frames are signed
 * @param grant what of the upstream's repos and image repositories it may have at all (globs)
 * @param tenants what each of its tenants may have, within {@code grant}
 * @param suspended true while its frames are refused and nothing is pushed to it (its state is kept)
 */
public record FleetMember(String outpost, TenantAllowlists.Grant grant, Map<String, TenantAllowlists.Grant> tenants, boolean suspended) {
    /** Every repo and image repository the upstream serves. */
    public static final TenantAllowlists.Grant EVERYTHING = new TenantAllowlists.Grant(List.of("*"), List.of("**"));

    public FleetMember {
        Names.requireOutpost(outpost);
        tenants = Map.copyOf(tenants);
    }

    /** What each namespace of this outpost may have. */
    public TenantAllowlists allowlists() {
        return new TenantAllowlists(tenants).within(grant);
    }

    /** Its grants as an operator reads them: {@code repos [infra], images [team/**]; tenant blue: repos [infra], images []}. */
    public String describe() {
        StringBuilder text = new StringBuilder("repos " + grant.repos() + ", images " + grant.images());
        tenants.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(tenant -> text.append("; tenant ").append(tenant.getKey())
                .append(": repos ").append(tenant.getValue().repos()).append(", images ").append(tenant.getValue().images()));
        return text.toString();
    }

    public FleetMember suspended(boolean now) {
        return new FleetMember(outpost, grant, tenants, now);
    }
}
