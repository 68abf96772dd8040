package io.outpost.registry;

import io.outpost.content.ImageRef;
import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a registry is and how to reach it: {@code url} is http(s)://host[:port]; a user and password when the URL
 * carried them (still read, but credentials belong in a {@link RegistryCredentials} source); {@code caFile}, when
 * given, the PEM certificates this registry's TLS must chain to (a private CA), else the JVM's trust store.
 */
public record RegistryEndpoint(URI url, String user, String password, Path caFile) {
    /** Where Docker Hub's ({@link ImageRef#DOCKER_HUB}) registry API is. */
    static final URI DOCKER_HUB_API = URI.create("https://registry-1.docker.io");

    public RegistryEndpoint {
        Objects.requireNonNull(url, "url");
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("registry URL must be http or https: " + url);
        }
    }

    /**
     * From a URL, with basic-auth credentials when it carries them ({@code https://user:password@host}, each
     * percent-encoded); {@code docker.io} (bare or as https://docker.io) is Docker Hub's API host.
     */
    public static RegistryEndpoint of(String url) {
        if (url.equals(ImageRef.DOCKER_HUB) || url.equals("https://" + ImageRef.DOCKER_HUB) || url.equals("https://index." + ImageRef.DOCKER_HUB)) {
            return new RegistryEndpoint(DOCKER_HUB_API, null, null, null);
        }
        URI uri = URI.create(url);
        String userInfo = uri.getRawUserInfo();
        if (userInfo == null) {
            return new RegistryEndpoint(uri, null, null, null);
        }
        String[] credentials = userInfo.split(":", 2);
        URI withoutCredentials = URI.create(uri.getScheme() + "://" + uri.getRawAuthority().substring(userInfo.length() + 1)
                + (uri.getRawPath() == null ? "" : uri.getRawPath()));
        return new RegistryEndpoint(withoutCredentials, decode(credentials[0]), credentials.length > 1 ? decode(credentials[1]) : "", null);
    }

    private static String decode(String part) {
        return java.net.URLDecoder.decode(part, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The same registry, its TLS checked against the certificates in {@code file} only. */
    public RegistryEndpoint trusting(Path file) {
        return new RegistryEndpoint(url, user, password, file);
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

    /** True for Docker Hub, where a one-part repository name ({@code nginx}) means {@code library/nginx}. */
    public boolean dockerHub() {
        return url.equals(DOCKER_HUB_API);
    }

    /** The login the URL carried, if it did. */
    Optional<RegistryCredentials.Login> urlLogin() {
        return user == null ? Optional.empty() : Optional.of(new RegistryCredentials.Login(user, password, "the registry URL"));
    }
}
