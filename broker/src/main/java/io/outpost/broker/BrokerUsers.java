package io.outpost.broker;

import io.outpost.brokerclient.BrokerRole;
import io.outpost.data.DurableFiles;
import io.outpost.data.SiteData;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager;

/**
 * The users of a site's broker, one per {@link BrokerRole} and one per tenant's workers, with random
 * passwords created on first start under {@code DATA/<site>/broker-users/<user>.password} (readable by
 * their owner only): clients on the same machine read them there, remote ones are given them. A user may
 * do what the roles configured on an address grant the role of its name, nothing else.
 */
public final class BrokerUsers implements ActiveMQSecurityManager {

    /** Password by user name. */
    private final Map<String, String> passwords = new LinkedHashMap<>();

    private BrokerUsers() {
    }

    /** The users of the site whose data directory is {@code siteData}, with the workers of {@code tenants}, created when missing. */
    public static BrokerUsers loadOrCreate(SiteData siteData, List<String> tenants) {
        BrokerUsers users = new BrokerUsers();
        List<String> names = new ArrayList<>();
        for (BrokerRole role : BrokerRole.values()) {
            names.add(role.user());
        }
        tenants.forEach(tenant -> names.add(BrokerRole.workerOf(tenant)));
        for (String user : names) {
            users.passwords.put(user, DurableFiles.readOrCreateSecret(siteData.brokerPassword(user)));
        }
        return users;
    }

    public String password(BrokerRole role) {
        return password(role.user());
    }

    public String password(String user) {
        String password = passwords.get(user);
        if (password == null) {
            throw new IllegalArgumentException("the broker has no user '" + user + "' (is the tenant configured at the outpost gateway?)");
        }
        return password;
    }

    @Override
    public boolean validateUser(String user, String password) {
        return authenticated(user, password);
    }

    @Override
    public boolean validateUserAndRole(String user, String password, Set<Role> roles, CheckType checkType) {
        return authenticated(user, password) && roles.stream().anyMatch(granted -> granted.getName().equals(user) && checkType.hasRole(granted));
    }

    private boolean authenticated(String user, String password) {
        String known = user == null ? null : passwords.get(user);
        return known != null && password != null
                && MessageDigest.isEqual(known.getBytes(StandardCharsets.UTF_8), password.getBytes(StandardCharsets.UTF_8));
    }
}
