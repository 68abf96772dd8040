package io.outpost.gateway.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import io.outpost.content.Digests;
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
import java.util.HexFormat;
import java.util.Optional;

/**
 * HTTP to a Terraform registry as the upstream speaks it to an origin, for the provider and module
 * protocols alike: service discovery ({@code /.well-known/terraform.json}), JSON documents, small files
 * whole and archives streamed to a file.
 */
public final class TerraformRegistry {
    private final URI registry;
    private final HttpClient http;

    public TerraformRegistry(URI registry) {
        this.registry = registry;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /** The base URL of {@code service} ({@code providers.v1}, {@code modules.v1}), as the registry's discovery names it. */
    public URI service(String service) {
        URI discovery = registry.resolve("/.well-known/terraform.json");
        String path = json(discovery).path(service).asText();
        if (path.isEmpty()) {
            throw new TerraformRegistryException(registry + " does not offer " + service + ": its service discovery does not name it", 404, null);
        }
        return discovery.resolve(path.endsWith("/") ? path : path + "/");
    }

    public JsonNode json(URI url) {
        try {
            return Json.MAPPER.readTree(get(url, HttpResponse.BodyHandlers.ofByteArray()).body());
        } catch (IOException e) {
            throw new TerraformRegistryException(url + " did not answer JSON: " + e.getMessage(), 502, e);
        }
    }

    /** A small file (SHA256SUMS, its signature), whole. */
    public byte[] bytes(URI url) {
        return get(url, HttpResponse.BodyHandlers.ofByteArray()).body();
    }

    /** A response header of a GET that answers 200 or 204 (a module's {@code X-Terraform-Get}). */
    public Optional<String> header(URI url, String name) {
        return get(url, HttpResponse.BodyHandlers.discarding()).headers().firstValue(name);
    }

    /** Streams {@code url} into {@code file}; returns the sha256 (hex) of what arrived. */
    public String fetch(URI url, Path file) {
        try (InputStream in = get(url, HttpResponse.BodyHandlers.ofInputStream()).body(); OutputStream out = Files.newOutputStream(file)) {
            MessageDigest digest = Digests.sha256();
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new TerraformRegistryException("cannot download " + url + ": " + e.getMessage(), 0, e);
        }
    }

    private <T> HttpResponse<T> get(URI url, HttpResponse.BodyHandler<T> handler) {
        try {
            HttpResponse<T> response = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofMinutes(10)).GET().build(), handler);
            if (response.statusCode() != 200 && response.statusCode() != 204) {
                if (response.body() instanceof InputStream stream) {
                    stream.close();
                }
                throw new TerraformRegistryException(url + " answered " + response.statusCode(), response.statusCode(), null);
            }
            return response;
        } catch (IOException e) {
            throw new TerraformRegistryException("cannot reach " + url + ": " + e.getMessage(), 0, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TerraformRegistryException("interrupted while asking " + url, 0, e);
        }
    }
}
