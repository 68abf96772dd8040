package io.outpost.gateway.upstream;

import io.outpost.registry.RegistryEndpoint;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The registry repositories this upstream serves, as globs ({@code *} within a path segment, {@code **}
 * across segments) each with its origin registry. First match wins; anything unmatched is refused.
 */
public final class ImageOrigins {
    private final Map<Pattern, RegistryEndpoint> origins = new LinkedHashMap<>();

    public ImageOrigins(Map<String, RegistryEndpoint> globs) {
        globs.forEach((glob, endpoint) -> origins.put(compile(glob), endpoint));
    }

    public static ImageOrigins none() {
        return new ImageOrigins(Map.of());
    }

    public Optional<RegistryEndpoint> originOf(String repository) {
        return origins.entrySet().stream().filter(entry -> entry.getKey().matcher(repository).matches())
                .map(Map.Entry::getValue).findFirst();
    }

    private static Pattern compile(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                regex.append(".*");
                i++;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
