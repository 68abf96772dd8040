package io.outpost.gateway.upstream.image;

import io.outpost.content.Globs;
import io.outpost.registry.RegistryEndpoint;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The registry repositories this upstream serves, as {@link Globs} each with its origin registry. First match wins; anything unmatched is refused.
 */
public final class ImageOrigins {
    private final Map<Pattern, RegistryEndpoint> origins = new LinkedHashMap<>();

    public ImageOrigins(Map<String, RegistryEndpoint> globs) {
        globs.forEach((glob, endpoint) -> origins.put(Globs.compile(glob), endpoint));
    }

    public static ImageOrigins none() {
        return new ImageOrigins(Map.of());
    }

    public Optional<RegistryEndpoint> originOf(String repository) {
        return origins.entrySet().stream().filter(entry -> entry.getKey().matcher(repository).matches())
                .map(Map.Entry::getValue).findFirst();
    }
}
