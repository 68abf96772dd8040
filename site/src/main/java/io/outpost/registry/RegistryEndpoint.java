package io.outpost.registry;

import java.net.URI;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a registry is and how to log in: {@code url} is http(s)://host:port; basic auth when a user is
 * given. TLS uses the JVM's trust store.
 */
public record RegistryEndpoint(URI url, String user, String password) {
    public RegistryEndpoint {
        Objects.requireNonNull(url, "url");
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("registry URL must be http or https: " + url);
        }
    }

    public static RegistryEndpoint of(String url) {
        return new RegistryEndpoint(URI.create(url), null, null);
    }

    /** host:port, as image references name this registry. */
    public String address() {
        return url.getPort() < 0 ? url.getHost() : url.getHost() + ":" + url.getPort();
    }

    Optional<String> authorization() {
        return user == null ? Optional.empty()
                : Optional.of("Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
