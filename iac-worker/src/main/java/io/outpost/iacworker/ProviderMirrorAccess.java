package io.outpost.iacworker;

import java.net.URI;
import java.nio.file.Path;

/**
 * How terraform at the outpost reaches the outpost gateway's provider mirror: its HTTPS base URL and the
 * internal CA certificate that signed it.
 */
public record ProviderMirrorAccess(URI url, Path caCertificate) {
    public ProviderMirrorAccess {
        if (!"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("terraform takes a provider network mirror over https only, not " + url);
        }
        url = url.toString().endsWith("/") ? url : URI.create(url + "/");
    }
}
