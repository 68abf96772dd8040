package io.outpost.site;

import io.outpost.transfer.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager;

/**
 * The users of a site's broker, one per {@link BrokerRole}, with random passwords created on first start
 * under {@code DATA/<site>/broker-users/<role>.password} (readable by their owner only): clients on the
 * same machine read them there, remote ones are given them. A user may do what the roles configured on
 * an address grant the role of its name, nothing else.
 */
public final class BrokerUsers implements ActiveMQSecurityManager {
    /** The trust store holds only the site's CA certificate: its password protects nothing secret. */
    public static final String TRUST_STORE_PASSWORD = "outpost-ca";
    private static final String DIR = "broker-users";

    private final Map<BrokerRole, String> passwords = new EnumMap<>(BrokerRole.class);

    private BrokerUsers() {
    }

    /** The users of the site whose data directory is {@code siteData}, created when missing. */
    public static BrokerUsers loadOrCreate(Path siteData) {
        BrokerUsers users = new BrokerUsers();
        for (BrokerRole role : BrokerRole.values()) {
            Path file = passwordFile(siteData, role);
            if (!Files.exists(file)) {
                byte[] secret = new byte[24];
                new SecureRandom().nextBytes(secret);
                DurableFiles.writeAtomically(file, Base64.getUrlEncoder().withoutPadding().encode(secret));
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot protect " + file, e);
                }
            }
            users.passwords.put(role, readPassword(siteData, role));
        }
        return users;
    }

    public static String readPassword(Path siteData, BrokerRole role) {
        Path file = passwordFile(siteData, role);
        try {
            return Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the " + role.user() + " password of the broker at " + file
                    + " (start the site's gateway once on this data directory, or pass the password): " + e.getMessage(), e);
        }
    }

    /** The PKCS#12 trust store with the site's CA, for TLS clients of its broker. */
    public static Path trustStore(Path siteData) {
        return siteData.resolve("tls/ca-trust.p12");
    }

    public String password(BrokerRole role) {
        return passwords.get(role);
    }

    @Override
    public boolean validateUser(String user, String password) {
        return role(user, password) != null;
    }

    @Override
    public boolean validateUserAndRole(String user, String password, Set<Role> roles, CheckType checkType) {
        BrokerRole role = role(user, password);
        return role != null && roles.stream().anyMatch(granted -> granted.getName().equals(role.user()) && checkType.hasRole(granted));
    }

    private BrokerRole role(String user, String password) {
        if (user == null || password == null) {
            return null;
        }
        for (Map.Entry<BrokerRole, String> known : passwords.entrySet()) {
            if (known.getKey().user().equals(user)
                    && MessageDigest.isEqual(known.getValue().getBytes(StandardCharsets.UTF_8), password.getBytes(StandardCharsets.UTF_8))) {
                return known.getKey();
            }
        }
        return null;
    }

    private static Path passwordFile(Path siteData, BrokerRole role) {
        return siteData.resolve(DIR).resolve(role.user() + ".password");
    }
}
