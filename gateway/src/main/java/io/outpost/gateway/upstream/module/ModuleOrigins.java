package io.outpost.gateway.upstream.module;

import io.outpost.content.Globs;
import io.outpost.content.module.ModuleSource;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The modules this upstream serves, as {@link Globs} over a registry module's {@code HOSTNAME/NAMESPACE/NAME/SYSTEM}
 * or a git module's URL; anything unmatched is refused. A module registry is {@code https://HOSTNAME/} unless
 * {@code registries} maps its hostname to another base URL.
 */
public final class ModuleOrigins {
    private final List<Pattern> allowed;
    private final Map<String, URI> registries;

    public ModuleOrigins(List<String> globs, Map<String, URI> registries) {
        this.allowed = globs.stream().map(Globs::compile).toList();
        this.registries = Map.copyOf(registries);
    }

    public static ModuleOrigins none() {
        return new ModuleOrigins(List.of(), Map.of());
    }

    public boolean allows(ModuleSource module) {
        return allowed.stream().anyMatch(glob -> glob.matcher(module.address()).matches());
    }

    public URI registryOf(ModuleSource module) {
        return registries.getOrDefault(module.hostname(), URI.create("https://" + module.hostname() + "/"));
    }
}
