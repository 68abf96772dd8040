package io.outpost.site;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.security.Role;

/**
 * What each {@link BrokerRole} may do on which address of a site's broker. Artemis takes the most
 * specific match alone, so every address listed grants the gateway everything again.
 */
final class BrokerPermissions {
    private static final Set<CheckType> PRODUCE = EnumSet.of(CheckType.SEND, CheckType.CREATE_ADDRESS, CheckType.CREATE_DURABLE_QUEUE);
    private static final Set<CheckType> SUBSCRIBE = EnumSet.of(CheckType.CONSUME, CheckType.CREATE_ADDRESS, CheckType.CREATE_NON_DURABLE_QUEUE,
            CheckType.DELETE_NON_DURABLE_QUEUE);

    private BrokerPermissions() {
    }

    static Map<String, Set<Role>> all() {
        Map<String, Set<Role>> permissions = new LinkedHashMap<>();
        permissions.put("#", Set.of(gateway()));
        permissions.put(Addresses.LINK_OUTBOUND, Set.of(gateway(), role(BrokerRole.LINK, EnumSet.of(CheckType.CONSUME, CheckType.CREATE_ADDRESS,
                CheckType.CREATE_DURABLE_QUEUE))));
        permissions.put(Addresses.LINK_INBOUND, Set.of(gateway(), role(BrokerRole.LINK, PRODUCE)));
        permissions.put(Addresses.REQUESTS, Set.of(gateway(), role(BrokerRole.WORKER, PRODUCE), role(BrokerRole.OPERATOR, PRODUCE)));
        permissions.put(Addresses.READY, Set.of(gateway(), role(BrokerRole.WORKER, SUBSCRIBE), role(BrokerRole.OPERATOR, SUBSCRIBE)));
        // a worker's routes dead-letter what they cannot process, as the gateway's do
        permissions.put(Addresses.DEAD, Set.of(gateway(), role(BrokerRole.WORKER, PRODUCE)));
        return permissions;
    }

    private static Role gateway() {
        return role(BrokerRole.GATEWAY, EnumSet.allOf(CheckType.class));
    }

    private static Role role(BrokerRole role, Set<CheckType> allowed) {
        Set<CheckType> granted = new HashSet<>(allowed);
        return new Role(role.user(), granted.contains(CheckType.SEND), granted.contains(CheckType.CONSUME),
                granted.contains(CheckType.CREATE_DURABLE_QUEUE), granted.contains(CheckType.DELETE_DURABLE_QUEUE),
                granted.contains(CheckType.CREATE_NON_DURABLE_QUEUE), granted.contains(CheckType.DELETE_NON_DURABLE_QUEUE),
                granted.contains(CheckType.MANAGE), granted.contains(CheckType.BROWSE), granted.contains(CheckType.CREATE_ADDRESS),
                granted.contains(CheckType.DELETE_ADDRESS), granted.contains(CheckType.VIEW), granted.contains(CheckType.EDIT));
    }
}
