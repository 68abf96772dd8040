package io.outpost.gateway.outpost.git;

import io.outpost.content.Tenants;
import io.outpost.data.DurableFiles;
import io.outpost.data.SiteData;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Who may read the outpost's git server: one user per namespace, {@code git} for the outpost's own and
 * {@code git-TENANT} for a tenant's, each with a random password created on first start under
 * {@code DATA/outpost/git-users/USER.password} (owner-only). A user reads its own namespace's repos only.
 */
public final class GitReaders {
    /** The namespace by user, and each user's password. */
    private final Map<String, String> namespaces = new LinkedHashMap<>();
    private final Map<String, String> passwords = new LinkedHashMap<>();

    private GitReaders() {
    }

    public static GitReaders loadOrCreate(SiteData outpost, List<String> tenants) {
        GitReaders readers = new GitReaders();
        readers.add(outpost, Tenants.OUTPOST);
        tenants.forEach(tenant -> readers.add(outpost, tenant));
        return readers;
    }

    /** The user that reads {@code tenant}'s repos. */
    public static String userOf(String tenant) {
        return Tenants.OUTPOST.equals(tenant) ? "git" : "git-" + Tenants.requireTenant(tenant);
    }

    private void add(SiteData outpost, String tenant) {
        String user = userOf(tenant);
        namespaces.put(user, tenant);
        passwords.put(user, DurableFiles.readOrCreateSecret(outpost.gitPassword(user)));
    }

    /** The namespace an HTTP {@code Authorization} header's user reads, when it names a user with its password. */
    public Optional<String> namespaceOf(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        String user = colon < 0 ? decoded : decoded.substring(0, colon);
        String known = passwords.get(user);
        boolean matches = known != null && colon >= 0
                && MessageDigest.isEqual(known.getBytes(StandardCharsets.UTF_8), decoded.substring(colon + 1).getBytes(StandardCharsets.UTF_8));
        return matches ? Optional.of(namespaces.get(user)) : Optional.empty();
    }
}
