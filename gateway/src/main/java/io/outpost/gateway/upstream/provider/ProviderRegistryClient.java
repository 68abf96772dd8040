package io.outpost.gateway.upstream.provider;

import com.fasterxml.jackson.databind.JsonNode;
import io.outpost.content.Digests;
import io.outpost.content.provider.ProviderAddress;
import io.outpost.content.provider.ProviderVersion;
import io.outpost.protocol.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Terraform's provider registry protocol, as the upstream speaks it to an origin: service discovery
 * ({@code /.well-known/terraform.json}), the version list, a package's download metadata, its SHA256SUMS
 * and the archive, streamed to a file.
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

    private final URI registry;
    private final HttpClient http;

    public ProviderRegistryClient(URI registry) {
        this.registry = registry;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    public List<Release> versions(ProviderAddress provider) {
        JsonNode list = json(providersApi().resolve(provider.namespace() + "/" + provider.type() + "/versions"));
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
        JsonNode meta = json(url);
        String filename = meta.path("filename").asText();
        String sha256 = meta.path("shasum").asText();
        if (filename.isEmpty() || filename.contains("/") || !sha256.matches("[0-9a-f]{64}") || meta.path("download_url").asText().isEmpty()) {
            throw new ProviderRegistryException(url + " gave incomplete download metadata (filename, download_url, shasum)", 502, null);
        }
        URI shasums = meta.path("shasums_url").asText().isEmpty() ? null : url.resolve(meta.path("shasums_url").asText());
        URI signature = meta.path("shasums_signature_url").asText().isEmpty() ? null : url.resolve(meta.path("shasums_signature_url").asText());
        List<String> keys = new ArrayList<>();
        meta.path("signing_keys").path("gpg_public_keys").forEach(key -> keys.add(key.path("ascii_armor").asText()));
        return new Download(filename, url.resolve(meta.path("download_url").asText()), shasums, sha256, signature, keys);
    }

    /** A small file (SHA256SUMS, its signature), whole. */
    public byte[] bytes(URI url) {
        return get(url, HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Streams {@code url} into {@code file}; returns the sha256 (hex) of what arrived. */
    public String fetch(URI url, Path file) {
        try (InputStream in = get(url, HttpResponse.BodyHandlers.ofInputStream()); OutputStream out = Files.newOutputStream(file)) {
            MessageDigest digest = Digests.sha256();
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new ProviderRegistryException("cannot download " + url + ": " + e.getMessage(), 0, e);
        }
    }

    private URI providersApi() {
        URI discovery = registry.resolve("/.well-known/terraform.json");
        String path = json(discovery).path("providers.v1").asText();
        if (path.isEmpty()) {
            throw new ProviderRegistryException(registry + " is not a provider registry: its service discovery names no providers.v1", 404, null);
        }
        return discovery.resolve(path.endsWith("/") ? path : path + "/");
    }

    private JsonNode json(URI url) {
        try {
            return Json.MAPPER.readTree(get(url, HttpResponse.BodyHandlers.ofByteArray()));
        } catch (IOException e) {
            throw new ProviderRegistryException(url + " did not answer JSON: " + e.getMessage(), 502, e);
        }
    }

    private <T> T get(URI url, HttpResponse.BodyHandler<T> handler) {
        try {
            HttpResponse<T> response = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(10)).GET().build(), handler);
            if (response.statusCode() != 200) {
                if (response.body() instanceof InputStream stream) {
                    stream.close();
                }
                throw new ProviderRegistryException(url + " answered " + response.statusCode(), response.statusCode(), null);
            }
            return response.body();
        } catch (IOException e) {
            throw new ProviderRegistryException("cannot reach " + url + ": " + e.getMessage(), 0, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderRegistryException("interrupted while asking " + url, 0, e);
        }
    }
}
