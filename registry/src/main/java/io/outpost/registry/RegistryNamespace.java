package io.outpost.registry;

import io.outpost.content.Names;
import io.outpost.content.Tenants;
import java.util.Collection;
import java.util.Set;

/**
 * The part of a shared registry one tenant's repositories live in: a tenant's are under {@code <tenant>/},
 * the outpost's own are the rest, never under a prefix a tenant has.
 *
 * @param prefix put before every repository name ("" or "tenant/")
 * @param reserved first path segments this namespace may not use: the tenants' prefixes
 */
public record RegistryNamespace(String prefix, Set<String> reserved) {
    /** The whole registry, as a site without tenants has it. */
    public static final RegistryNamespace WHOLE = new RegistryNamespace("", Set.of());

    public RegistryNamespace {
        reserved = Set.copyOf(reserved);
    }

    /** The namespace of {@code tenant} (or {@link Tenants#OUTPOST}) at an outpost shared by {@code tenants}. */
    public static RegistryNamespace of(String tenant, Collection<String> tenants) {
        return Tenants.OUTPOST.equals(tenant) ? new RegistryNamespace("", Set.copyOf(tenants))
                : new RegistryNamespace(Tenants.requireTenant(tenant) + "/", Set.of());
    }

    /** The tenant (or {@link Tenants#OUTPOST}) whose namespace {@code name}, as the registry itself names it, is in. */
    public static String tenantOf(String name, Collection<String> tenants) {
        String first = name.split("/", 2)[0];
        return name.contains("/") && tenants.contains(first) ? first : Tenants.OUTPOST;
    }

    /** {@code name}, as the registry itself names it, as this namespace's users name it: the inverse of {@link #resolve}. */
    public String own(String name) {
        return name.substring(prefix.length());
    }

    /** True when {@code repository}, as this namespace's users name it, is theirs to use. */
    public boolean owns(String repository) {
        return !reserved.contains(repository.split("/", 2)[0]);
    }

    /** The registry's name for {@code repository} as this namespace's users name it. */
    public String resolve(String repository) {
        Names.requireImageRepository(repository);
        if (!owns(repository)) {
            throw new IllegalArgumentException("repository '" + repository + "' is in the namespace of tenant '" + repository.split("/", 2)[0] + "'");
        }
        return prefix + repository;
    }
}
