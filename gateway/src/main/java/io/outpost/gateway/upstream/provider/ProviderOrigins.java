package io.outpost.gateway.upstream.provider;

import io.outpost.content.Globs;
import io.outpost.content.provider.ProviderAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The providers this upstream serves, as {@link Globs} over {@code HOSTNAME/NAMESPACE/TYPE}; anything
 * unmatched is refused. A provider's registry is {@code https://HOSTNAME/} unless {@code registries} maps
 * its hostname to another base URL (a local mirror of a registry, or the demo's origin).
 */
public final class ProviderOrigins {
    private final List<Pattern> allowed;
    private final Map<String, URI> registries;

    public ProviderOrigins(List<String> globs, Map<String, URI> registries) {
        this.allowed = globs.stream().map(Globs::compile).toList();
        this.registries = Map.copyOf(registries);
    }

    public static ProviderOrigins none() {
        return new ProviderOrigins(List.of(), Map.of());
    }

    public boolean allows(ProviderAddress provider) {
        return allowed.stream().anyMatch(glob -> glob.matcher(provider.toString()).matches());
    }

    public URI registryOf(ProviderAddress provider) {
        return registries.getOrDefault(provider.hostname(), URI.create("https://" + provider.hostname() + "/"));
    }
}
