package io.outpost.registry;

import io.outpost.content.Digests;
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

/**
 * The OCI distribution API, blob by blob, bodies streamed to and from files. Manifests are moved as raw
 * bytes, never re-serialised, so digests stay identical from origin to outpost (Jib's registry client
 * re-serialises manifests it did not build, which changes their digests).
 */
public final class RegistryClient {
    private static final String ACCEPT = String.join(", ", MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST,
            MediaTypes.DOCKER_MANIFEST_LIST, MediaTypes.DOCKER_MANIFEST);

    private final RegistryEndpoint endpoint;
    private final RegistryNamespace namespace;
    private final HttpClient http;

    public RegistryClient(RegistryEndpoint endpoint) {
        this(endpoint, RegistryNamespace.WHOLE, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL).build());
    }

    private RegistryClient(RegistryEndpoint endpoint, RegistryNamespace namespace, HttpClient http) {
        this.endpoint = endpoint;
        this.namespace = namespace;
        this.http = http;
    }

    /** The same registry seen from inside {@code namespace}: repository names are the namespace's own. */
    public RegistryClient within(RegistryNamespace inside) {
        return new RegistryClient(endpoint, inside, http);
    }

    public RegistryEndpoint endpoint() {
        return endpoint;
    }

    /** How configs name this registry, namespace included: {@code host:port} or {@code host:port/tenant}. */
    public String address() {
        return namespace.prefix().isEmpty() ? endpoint.address() : endpoint.address() + "/" + namespace.prefix().replaceFirst("/$", "");
    }

    /** The manifest or index {@code reference} (tag or digest) points to, as stored. */
    public Manifest manifest(String repository, String reference) {
        HttpResponse<byte[]> response = send(request(repository, "/manifests/" + reference).header("Accept", ACCEPT).GET(),
                HttpResponse.BodyHandlers.ofByteArray());
        expect(response, 200, "get manifest " + repository + ":" + reference);
        String mediaType = response.headers().firstValue("Content-Type").orElse(MediaTypes.OCI_MANIFEST);
        Manifest manifest = new Manifest(mediaType, response.body());
        if (reference.startsWith("sha256:") && !manifest.digest().equals(reference)) {
            throw new RegistryException("manifest " + repository + "@" + reference + " arrived with digest " + manifest.digest(), 200);
        }
        return manifest;
    }

    public boolean hasManifest(String repository, String reference) {
        return exists(request(repository, "/manifests/" + reference).header("Accept", ACCEPT), "manifest " + repository + ":" + reference);
    }

    /** The digest {@code reference} names now, if the registry has it. */
    public java.util.Optional<String> manifestDigest(String repository, String reference) {
        HttpResponse<Void> response = send(request(repository, "/manifests/" + reference).header("Accept", ACCEPT)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()), HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 404) {
            return java.util.Optional.empty();
        }
        expect(response, 200, "check manifest " + repository + ":" + reference);
        return response.headers().firstValue("Docker-Content-Digest");
    }

    /** PUTs the manifest's bytes as they are; the registry must store them under the same digest. */
    public void putManifest(String repository, String reference, Manifest manifest) {
        HttpResponse<String> response = send(request(repository, "/manifests/" + reference)
                .header("Content-Type", manifest.mediaType()).PUT(HttpRequest.BodyPublishers.ofByteArray(manifest.bytes())),
                HttpResponse.BodyHandlers.ofString());
        expect(response, 201, "put manifest " + repository + ":" + reference);
        response.headers().firstValue("Docker-Content-Digest").filter(stored -> !stored.equals(manifest.digest())).ifPresent(stored -> {
            throw new RegistryException("registry stored manifest " + repository + ":" + reference + " as " + stored
                    + ", not " + manifest.digest(), 201);
        });
    }

    public boolean hasBlob(String repository, String digest) {
        return exists(request(repository, "/blobs/" + digest), "blob " + digest);
    }

    /** Streams a blob into {@code target}, checking its digest on the way; returns its size. */
    public long pullBlob(String repository, String digest, Path target) {
        HttpResponse<InputStream> response = send(request(repository, "/blobs/" + digest).GET(), HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            if (response.statusCode() != 200) {
                in.transferTo(OutputStream.nullOutputStream());
                throw new RegistryException("get blob " + digest + " of " + repository + ": HTTP " + response.statusCode(), response.statusCode());
            }
            MessageDigest sha256 = Digests.sha256();
            long size = 0;
            try (OutputStream out = Files.newOutputStream(target)) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    sha256.update(buffer, 0, n);
                    out.write(buffer, 0, n);
                    size += n;
                }
            }
            String actual = "sha256:" + HexFormat.of().formatHex(sha256.digest());
            if (!actual.equals(digest)) {
                Files.deleteIfExists(target);
                throw new RegistryException("blob " + digest + " of " + repository + " arrived with digest " + actual, 200);
            }
            return size;
        } catch (IOException e) {
            throw new RegistryException("cannot read blob " + digest + " of " + repository + ": " + e.getMessage(), e);
        }
    }

    /**
     * Makes {@code digest} available in {@code repository}: nothing if it is there, a cross-repo mount
     * from {@code mountFrom} when given and the registry has it there, else an upload streamed from {@code source}.
     */
    public void pushBlob(String repository, String digest, Path source, String mountFrom) {
        if (hasBlob(repository, digest)) {
            return;
        }
        String query = mountFrom == null ? "" : "?mount=" + digest + "&from=" + namespace.resolve(mountFrom);
        HttpResponse<String> started = send(request(repository, "/blobs/uploads/" + query).POST(HttpRequest.BodyPublishers.noBody()),
                HttpResponse.BodyHandlers.ofString());
        if (started.statusCode() == 201) {
            return;
        }
        expect(started, 202, "start upload of " + digest + " to " + repository);
        if (source == null) {
            throw new RegistryException("blob " + digest + " is not in " + mountFrom + " and no content was given to upload", 202);
        }
        URI location = endpoint.url().resolve(started.headers().firstValue("Location")
                .orElseThrow(() -> new RegistryException("upload of " + digest + " got no Location", 202)));
        String separator = location.getQuery() == null ? "?" : "&";
        try {
            HttpResponse<String> done = send(authorized(HttpRequest.newBuilder(URI.create(location + separator + "digest=" + digest)))
                    .header("Content-Type", "application/octet-stream")
                    .PUT(HttpRequest.BodyPublishers.ofFile(source)), HttpResponse.BodyHandlers.ofString());
            expect(done, 201, "upload " + digest + " to " + repository);
        } catch (java.io.FileNotFoundException e) {
            throw new RegistryException("blob content " + source + " is missing", e);
        }
    }

    /**
     * The repositories the registry lists ({@code /v2/_catalog}, page by page) that are this namespace's, as its users
     * name them.
     */
    public java.util.List<String> repositories() {
        java.util.List<String> names = new java.util.ArrayList<>();
        String page = "/v2/_catalog?n=1000";
        while (page != null) {
            HttpResponse<byte[]> response = send(authorized(HttpRequest.newBuilder(endpoint.url().resolve(page))).GET(), HttpResponse.BodyHandlers.ofByteArray());
            expect(response, 200, "list the registry's repositories");
            try {
                for (com.fasterxml.jackson.databind.JsonNode name : io.outpost.protocol.Json.MAPPER.readTree(response.body()).path("repositories")) {
                    String full = name.asText();
                    String own = full.startsWith(namespace.prefix()) ? full.substring(namespace.prefix().length()) : null;
                    if (own != null && !own.isEmpty() && namespace.owns(own)) {
                        names.add(own);
                    }
                }
            } catch (IOException e) {
                throw new RegistryException("the registry's list of repositories is not JSON: " + e.getMessage(), e);
            }
            // the next page, as RFC 5988 links it: </v2/_catalog?last=NAME&n=1000>; rel="next"
            page = response.headers().firstValue("Link").filter(link -> link.contains("rel=\"next\""))
                    .map(link -> link.substring(link.indexOf('<') + 1, link.indexOf('>'))).orElse(null);
        }
        return names;
    }

    private boolean exists(HttpRequest.Builder request, String what) {
        HttpResponse<Void> response = send(request.method("HEAD", HttpRequest.BodyPublishers.noBody()), HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
            return true;
        }
        if (response.statusCode() == 404) {
            return false;
        }
        throw new RegistryException("check " + what + ": HTTP " + response.statusCode(), response.statusCode());
    }

    private HttpRequest.Builder request(String repository, String path) {
        return authorized(HttpRequest.newBuilder(endpoint.url().resolve("/v2/" + namespace.resolve(repository) + path)));
    }

    private HttpRequest.Builder authorized(HttpRequest.Builder request) {
        endpoint.authorization().ifPresent(value -> request.header("Authorization", value));
        return request.timeout(Duration.ofMinutes(30));
    }

    private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body) {
        try {
            return http.send(request.build(), body);
        } catch (IOException e) {
            throw new RegistryException("registry " + endpoint.url() + " unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted talking to " + endpoint.url(), e);
        }
    }

    private static void expect(HttpResponse<?> response, int status, String what) {
        if (response.statusCode() != status) {
            Object body = response.body();
            String detail = body instanceof String text && !text.isBlank() ? ": " + text.strip()
                    : body instanceof byte[] bytes && bytes.length > 0 ? ": " + new String(bytes, 0, Math.min(bytes.length, 500), java.nio.charset.StandardCharsets.UTF_8).strip() : "";
            throw new RegistryException(what + ": HTTP " + response.statusCode() + detail, response.statusCode());
        }
    }
}
