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

    /** From a URL, with basic-auth credentials when it carries them ({@code https://user:password@host}). */
    public static RegistryEndpoint of(String url) {
        URI uri = URI.create(url);
        String userInfo = uri.getRawUserInfo();
        if (userInfo == null) {
            return new RegistryEndpoint(uri, null, null);
        }
        String[] credentials = userInfo.split(":", 2);
        URI withoutCredentials = URI.create(uri.getScheme() + "://" + uri.getRawAuthority().substring(userInfo.length() + 1)
                + (uri.getRawPath() == null ? "" : uri.getRawPath()));
        return new RegistryEndpoint(withoutCredentials, decode(credentials[0]), credentials.length > 1 ? decode(credentials[1]) : "");
    }

    private static String decode(String part) {
        return java.net.URLDecoder.decode(part, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return url + (user == null ? "" : " (as " + user + ")");
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
