package io.outpost.gateway.upstream.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.outpost.content.provider.ProviderAddress;
import io.outpost.content.provider.ProviderVersion;
import io.outpost.gateway.upstream.TerraformRegistry;
import io.outpost.gateway.upstream.TerraformRegistryException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Terraform's provider registry protocol, as the upstream speaks it to an origin: the version list, a
 * package's download metadata, its SHA256SUMS and the archive, streamed to a file ({@link TerraformRegistry}
 * discovers the service and does the HTTP).
 */
public final class ProviderRegistryClient {
    /** A version the registry lists, with the platforms (os_arch) it has packages for. */
    public record Release(ProviderVersion version, Set<String> platforms) {
    }

    /**
     * Where one package is and what the registry says its sha256 is; {@code signature} (null when the
     * registry publishes none) signs the SHA256SUMS with one of {@code keys} (ASCII-armored OpenPGP).
     */
    public record Download(String filename, URI archive, URI shasums, String sha256, URI signature, List<String> keys) {
    }

    private final TerraformRegistry registry;

    public ProviderRegistryClient(URI registry) {
        this.registry = new TerraformRegistry(registry);
    }

    public List<Release> versions(ProviderAddress provider) {
        JsonNode list = registry.json(providersApi().resolve(provider.namespace() + "/" + provider.type() + "/versions"));
        List<Release> releases = new ArrayList<>();
        for (JsonNode entry : list.path("versions")) {
            Set<String> platforms = new LinkedHashSet<>();
            entry.path("platforms").forEach(p -> platforms.add(p.path("os").asText() + "_" + p.path("arch").asText()));
            try {
                releases.add(new Release(ProviderVersion.parse(entry.path("version").asText()), platforms));
            } catch (IllegalArgumentException notSemver) {
                // terraform ignores versions it cannot parse; so do we
            }
        }
        return releases;
    }

    public Download download(ProviderAddress provider, ProviderVersion version, String platform) {
        String[] osArch = platform.split("_", 2);
        URI url = providersApi().resolve(provider.namespace() + "/" + provider.type() + "/" + version + "/download/" + osArch[0] + "/" + osArch[1]);
        JsonNode meta = registry.json(url);
        String filename = meta.path("filename").asText();
        String sha256 = meta.path("shasum").asText();
        if (filename.isEmpty() || filename.contains("/") || !sha256.matches("[0-9a-f]{64}") || meta.path("download_url").asText().isEmpty()) {
            throw new TerraformRegistryException(url + " gave incomplete download metadata (filename, download_url, shasum)", 502, null);
        }
        URI shasums = meta.path("shasums_url").asText().isEmpty() ? null : url.resolve(meta.path("shasums_url").asText());
        URI signature = meta.path("shasums_signature_url").asText().isEmpty() ? null : url.resolve(meta.path("shasums_signature_url").asText());
        List<String> keys = new ArrayList<>();
        meta.path("signing_keys").path("gpg_public_keys").forEach(key -> keys.add(key.path("ascii_armor").asText()));
        return new Download(filename, url.resolve(meta.path("download_url").asText()), shasums, sha256, signature, keys);
    }

    /** A small file (SHA256SUMS, its signature), whole. */
    public byte[] bytes(URI url) {
        return registry.bytes(url);
    }

    /** Streams {@code url} into {@code file}; returns the sha256 (hex) of what arrived. */
    public String fetch(URI url, Path file) {
        return registry.fetch(url, file);
    }

    private URI providersApi() {
        return registry.service("providers.v1");
    }
}
