package io.outpost.broker;

import io.outpost.brokerclient.Addresses;
import io.outpost.brokerclient.BrokerRole;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.security.Role;

/**
 * What each {@link BrokerRole} may do on which address of a site's broker. Artemis takes the most
 * specific match alone, so every address listed grants the gateway everything again. Each tenant's
 * request queue and ready topic admit its own workers and the operator only; the operator also works the
 * dead letters (browses, takes, and puts them back on the link's inbound queue or a request queue).
 */
final class BrokerPermissions {
    private static final Set<CheckType> PRODUCE = EnumSet.of(CheckType.SEND, CheckType.CREATE_ADDRESS, CheckType.CREATE_DURABLE_QUEUE);
    private static final Set<CheckType> SUBSCRIBE = EnumSet.of(CheckType.CONSUME, CheckType.CREATE_ADDRESS, CheckType.CREATE_NON_DURABLE_QUEUE,
            CheckType.DELETE_NON_DURABLE_QUEUE);

    private BrokerPermissions() {
    }

    static Map<String, Set<Role>> all(List<String> tenants) {
        Map<String, Set<Role>> permissions = new LinkedHashMap<>();
        permissions.put("#", Set.of(gateway()));
        // every outpost's at the upstream, the outpost's own at the outpost
        permissions.put(Addresses.outboundTo("#"), Set.of(gateway(), role(BrokerRole.LINK, EnumSet.of(CheckType.CONSUME, CheckType.CREATE_ADDRESS,
                CheckType.CREATE_DURABLE_QUEUE))));
        // the operator puts dead letters back where they came from ({@code outpost dead retry})
        permissions.put(Addresses.LINK_INBOUND, Set.of(gateway(), role(BrokerRole.LINK, PRODUCE), role(BrokerRole.OPERATOR, PRODUCE)));
        permissions.put(Addresses.REQUESTS, Set.of(gateway(), role(BrokerRole.WORKER, PRODUCE), role(BrokerRole.OPERATOR, PRODUCE)));
        permissions.put(Addresses.READY, Set.of(gateway(), role(BrokerRole.WORKER, SUBSCRIBE), role(BrokerRole.OPERATOR, SUBSCRIBE)));
        Set<Role> deadLetters = new HashSet<>(Set.of(gateway(), role(BrokerRole.WORKER.user(), PRODUCE),
                role(BrokerRole.OPERATOR, EnumSet.of(CheckType.CONSUME, CheckType.BROWSE))));
        for (String tenant : tenants) {
            String worker = BrokerRole.workerOf(tenant);
            permissions.put(Addresses.requests(tenant), Set.of(gateway(), role(worker, PRODUCE), role(BrokerRole.OPERATOR, PRODUCE)));
            permissions.put(Addresses.ready(tenant), Set.of(gateway(), role(worker, SUBSCRIBE), role(BrokerRole.OPERATOR, SUBSCRIBE)));
            deadLetters.add(role(worker, PRODUCE));
        }
        // a worker's routes dead-letter what they cannot process, as the gateway's do
        permissions.put(Addresses.DEAD, deadLetters);
        return permissions;
    }

    private static Role gateway() {
        return role(BrokerRole.GATEWAY, EnumSet.allOf(CheckType.class));
    }

    private static Role role(BrokerRole role, Set<CheckType> allowed) {
        return role(role.user(), allowed);
    }

    private static Role role(String user, Set<CheckType> allowed) {
        Set<CheckType> granted = new HashSet<>(allowed);
        return new Role(user, granted.contains(CheckType.SEND), granted.contains(CheckType.CONSUME),
                granted.contains(CheckType.CREATE_DURABLE_QUEUE), granted.contains(CheckType.DELETE_DURABLE_QUEUE),
                granted.contains(CheckType.CREATE_NON_DURABLE_QUEUE), granted.contains(CheckType.DELETE_NON_DURABLE_QUEUE),
                granted.contains(CheckType.MANAGE), granted.contains(CheckType.BROWSE), granted.contains(CheckType.CREATE_ADDRESS),
                granted.contains(CheckType.DELETE_ADDRESS), granted.contains(CheckType.VIEW), granted.contains(CheckType.EDIT));
    }
}
