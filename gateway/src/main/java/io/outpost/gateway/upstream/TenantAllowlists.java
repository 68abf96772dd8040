package io.outpost.gateway.upstream;

import io.outpost.content.Globs;
import io.outpost.content.Tenants;
import io.outpost.gateway.upstream.image.ImageOrigins;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * What each tenant of the outpost may have from this upstream, as {@link Globs} over repo names and
 * registry repositories, within what the upstream serves at all ({@link Allowlist}, {@link ImageOrigins}).
 * The outpost's own namespace may have all of that (or, for one outpost of a fleet, what it was granted); a tenant not
 * named here, nothing.
 */
public final class TenantAllowlists {
    /** One tenant's globs. */
    public record Grant(List<String> repos, List<String> images) {
        public Grant {
            repos = List.copyOf(repos);
            images = List.copyOf(images);
        }
    }

    private final Map<String, Grant> grants;
    /** What the whole outpost may have, its own namespace and every tenant's; null for everything served. */
    private final Grant outpost;

    public TenantAllowlists(Map<String, Grant> grants) {
        this(grants, null);
    }

    private TenantAllowlists(Map<String, Grant> grants, Grant outpost) {
        grants.keySet().forEach(Tenants::requireTenant);
        this.grants = Map.copyOf(grants);
        this.outpost = outpost;
    }

    /** These grants within {@code outpost}'s: what one outpost of a fleet may have bounds its own namespace and each of its tenants'. */
    public TenantAllowlists within(Grant outpost) {
        return new TenantAllowlists(grants, outpost);
    }

    /** Each tenant's grant, by tenant. */
    public Map<String, Grant> grants() {
        return grants;
    }

    /** No tenants: only the outpost's own namespace is served. */
    public static TenantAllowlists none() {
        return new TenantAllowlists(Map.of());
    }

    public boolean allowsRepo(String tenant, String repo) {
        return allows(tenant, repo, Grant::repos);
    }

    public boolean allowsImage(String tenant, String repository) {
        return allows(tenant, repository, Grant::images);
    }

    /** Why {@code tenant} is refused something: which list it is not on. */
    public static String whose(String tenant) {
        return Tenants.OUTPOST.equals(tenant) ? "this upstream's allowlist" : "the allowlist of tenant '" + tenant + "'";
    }

    private boolean allows(String tenant, String name, Function<Grant, List<String>> globs) {
        if (outpost != null && !matches(globs.apply(outpost), name)) {
            return false;
        }
        if (Tenants.OUTPOST.equals(tenant)) {
            return true;
        }
        Grant grant = grants.get(tenant);
        return grant != null && matches(globs.apply(grant), name);
    }

    private static boolean matches(List<String> globs, String name) {
        return globs.stream().map(Globs::compile).map(Pattern::asMatchPredicate).anyMatch(matches -> matches.test(name));
    }
}
