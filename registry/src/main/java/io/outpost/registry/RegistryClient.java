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
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OCI distribution API, blob by blob, bodies streamed to and from files. Manifests are moved as raw
 * bytes, never re-serialised, so digests stay identical from origin to outpost (Jib's registry client
 * re-serialises manifests it did not build, which changes their digests). Requests authorize themselves as the
 * registry asks ({@link RegistryAuth}: token or basic auth), wait out {@code 429 Too Many Requests} for as long as
 * {@code Retry-After} says (up to a bound), and follow redirects, without the registry's authorization when they lead
 * to another host (a blob store's signed URL).
 *
 * <p>Outpost keeps this client rather than an OCI library (ORAS's Java SDK, still alpha when this was written):
 * manifests must move as the origin's bytes and blobs as streams checked against their digests, and a refusal must
 * keep its HTTP status so the outpost's run can say unauthorized, forbidden, not found or rate-limited.
 */
public final class RegistryClient {
    private static final String ACCEPT = String.join(", ", MediaTypes.OCI_INDEX, MediaTypes.OCI_MANIFEST,
            MediaTypes.DOCKER_MANIFEST_LIST, MediaTypes.DOCKER_MANIFEST);

    private static final Logger LOG = LoggerFactory.getLogger(RegistryClient.class);
    /** How long one request waits out a registry's {@code 429}s before it fails as rate-limited (asked again later). */
    public static final Duration RATE_LIMIT_PATIENCE = Duration.ofMinutes(2);
    /** The wait after a {@code 429} that says nothing of when to come back. */
    private static final Duration RATE_LIMIT_DEFAULT_WAIT = Duration.ofSeconds(10);
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private static final int MAX_REDIRECTS = 5;
    private static final String CATALOG_SCOPE = "registry:catalog:*";

    private final RegistryEndpoint endpoint;
    private final RegistryNamespace namespace;
    private final HttpClient http;
    private final RegistryAuth auth;
    private final Duration rateLimitPatience;

    /** Anonymous, or as the endpoint's URL logs in. */
    public RegistryClient(RegistryEndpoint endpoint) {
        this(endpoint, RegistryCredentials.none());
    }

    public RegistryClient(RegistryEndpoint endpoint, RegistryCredentials credentials) {
        this(endpoint, credentials, Clock.systemUTC(), RATE_LIMIT_PATIENCE);
    }

    RegistryClient(RegistryEndpoint endpoint, RegistryCredentials credentials, Clock clock, Duration rateLimitPatience) {
        this.endpoint = endpoint;
        this.namespace = RegistryNamespace.WHOLE;
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER);
        if (endpoint.caFile() != null) {
            builder.sslContext(TrustedCertificates.context(endpoint.caFile(), endpoint.address()));
        }
        this.http = builder.build();
        this.auth = new RegistryAuth(endpoint, credentials, http, clock);
        this.rateLimitPatience = rateLimitPatience;
    }

    private RegistryClient(RegistryClient whole, RegistryNamespace namespace) {
        this.endpoint = whole.endpoint;
        this.namespace = namespace;
        this.http = whole.http;
        this.auth = whole.auth;
        this.rateLimitPatience = whole.rateLimitPatience;
    }

    /** The same registry seen from inside {@code namespace}: repository names are the namespace's own. */
    public RegistryClient within(RegistryNamespace inside) {
        return new RegistryClient(this, inside);
    }

    public RegistryEndpoint endpoint() {
        return endpoint;
    }

    /** How configs name this registry, namespace included: {@code host:port} or {@code host:port/tenant}. */
    public String address() {
        return namespace.prefix().isEmpty() ? endpoint.address() : endpoint.address() + "/" + namespace.prefix().replaceFirst("/$", "");
    }

    /** {@code repository} as the registry itself names it: with this client's namespace prefix. */
    public String nameOf(String repository) {
        return namespace.resolve(repository);
    }

    /** The manifest or index {@code reference} (tag or digest) points to, as stored. */
    public Manifest manifest(String repository, String reference) {
        HttpResponse<byte[]> response = send(request(repository, "/manifests/" + reference).header("Accept", ACCEPT).GET(),
                pulling(repository), HttpResponse.BodyHandlers.ofByteArray());
        expect(response, 200, "get manifest " + repository + ":" + reference);
        String mediaType = response.headers().firstValue("Content-Type").orElse(MediaTypes.OCI_MANIFEST);
        Manifest manifest = new Manifest(mediaType, response.body());
        if (reference.startsWith("sha256:") && !manifest.digest().equals(reference)) {
            throw new RegistryException("manifest " + repository + "@" + reference + " arrived with digest " + manifest.digest(), 200);
        }
        return manifest;
    }

    public boolean hasManifest(String repository, String reference) {
        return exists(request(repository, "/manifests/" + reference).header("Accept", ACCEPT), pulling(repository), "manifest " + repository + ":" + reference);
    }

    /** The digest {@code reference} names now, if the registry has it. */
    public java.util.Optional<String> manifestDigest(String repository, String reference) {
        HttpResponse<Void> response = send(request(repository, "/manifests/" + reference).header("Accept", ACCEPT)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()), pulling(repository), HttpResponse.BodyHandlers.discarding());
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
                pushing(repository), HttpResponse.BodyHandlers.ofString());
        expect(response, 201, "put manifest " + repository + ":" + reference);
        response.headers().firstValue("Docker-Content-Digest").filter(stored -> !stored.equals(manifest.digest())).ifPresent(stored -> {
            throw new RegistryException("registry stored manifest " + repository + ":" + reference + " as " + stored
                    + ", not " + manifest.digest(), 201);
        });
    }

    public boolean hasBlob(String repository, String digest) {
        return exists(request(repository, "/blobs/" + digest), pulling(repository), "blob " + digest);
    }

    /** Streams a blob into {@code target}, checking its digest on the way; returns its size. */
    public long pullBlob(String repository, String digest, Path target) {
        try (InputStream in = blob(repository, digest)) {
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
        List<String> scopes = mountFrom == null ? pushing(repository)
                : List.of(pushing(repository).get(0), pulling(mountFrom).get(0));
        HttpResponse<String> started = send(request(repository, "/blobs/uploads/" + query).POST(HttpRequest.BodyPublishers.noBody()),
                scopes, HttpResponse.BodyHandlers.ofString());
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
            HttpResponse<String> done = send(timed(HttpRequest.newBuilder(URI.create(location + separator + "digest=" + digest)))
                    .header("Content-Type", "application/octet-stream")
                    .PUT(HttpRequest.BodyPublishers.ofFile(source)), scopes, HttpResponse.BodyHandlers.ofString());
            expect(done, 201, "upload " + digest + " to " + repository);
        } catch (java.io.FileNotFoundException e) {
            throw new RegistryException("blob content " + source + " is missing", e);
        }
    }

    /** The body of blob {@code digest}, when the registry serves it; else the registry's refusal, its answer read and closed. */
    private InputStream blob(String repository, String digest) throws IOException {
        HttpResponse<InputStream> response = send(request(repository, "/blobs/" + digest).GET(), pulling(repository), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            try (InputStream refused = response.body()) {
                refused.transferTo(OutputStream.nullOutputStream());
            }
            throw new RegistryException("get blob " + digest + " of " + repository + ": HTTP " + response.statusCode(), response.statusCode());
        }
        return response.body();
    }

    /** A small blob's bytes (a signature's payload, a config), checked against its digest; refused past {@code maxBytes}. */
    public byte[] blobBytes(String repository, String digest, int maxBytes) {
        try (InputStream in = blob(repository, digest)) {
            byte[] bytes = in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw new RegistryException("blob " + digest + " of " + repository + " is larger than the " + maxBytes + " bytes expected of it", 200);
            }
            if (!("sha256:" + Digests.sha256(bytes)).equals(digest)) {
                throw new RegistryException("blob " + digest + " of " + repository + " arrived with another digest", 200);
            }
            return bytes;
        } catch (IOException e) {
            throw new RegistryException("cannot read blob " + digest + " of " + repository + ": " + e.getMessage(), e);
        }
    }

    /** Every tag of {@code repository} ({@code /tags/list}, page by page); none for a repository the registry does not know. */
    public List<String> tags(String repository) {
        List<String> tags = new java.util.ArrayList<>();
        String page = "/v2/" + namespace.resolve(repository) + "/tags/list?n=1000";
        while (page != null) {
            HttpResponse<byte[]> response = send(timed(HttpRequest.newBuilder(endpoint.url().resolve(page))).GET(), pulling(repository),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() == 404) {
                return tags;
            }
            expect(response, 200, "list the tags of " + repository);
            try {
                io.outpost.protocol.Json.MAPPER.readTree(response.body()).path("tags").forEach(tag -> tags.add(tag.asText()));
            } catch (IOException e) {
                throw new RegistryException("the tag list of " + repository + " is not JSON: " + e.getMessage(), e);
            }
            page = nextPage(response);
        }
        return tags;
    }

    /**
     * What the OCI 1.1 referrers API lists for {@code digest} (an index of descriptors), or empty when the registry has no
     * referrers API (it answers 404 for the path, as Distribution 2.8 does).
     */
    public java.util.Optional<Manifest> referrers(String repository, String digest) {
        HttpResponse<byte[]> response = send(request(repository, "/referrers/" + digest).header("Accept", MediaTypes.OCI_INDEX).GET(),
                pulling(repository), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() == 404) {
            return java.util.Optional.empty();
        }
        expect(response, 200, "list the referrers of " + repository + "@" + digest);
        return java.util.Optional.of(new Manifest(MediaTypes.OCI_INDEX, response.body()));
    }

    /**
     * The repositories the registry lists ({@code /v2/_catalog}, page by page) that are this namespace's, as its users
     * name them.
     */
    public java.util.List<String> repositories() {
        java.util.List<String> names = new java.util.ArrayList<>();
        String page = "/v2/_catalog?n=1000";
        while (page != null) {
            HttpResponse<byte[]> response = send(timed(HttpRequest.newBuilder(endpoint.url().resolve(page))).GET(), List.of(CATALOG_SCOPE),
                    HttpResponse.BodyHandlers.ofByteArray());
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
            page = nextPage(response);
        }
        return names;
    }

    /** The next page, as RFC 5988 links it: {@code </v2/_catalog?last=NAME&n=1000>; rel="next"}; null on the last. */
    private static String nextPage(HttpResponse<?> response) {
        return response.headers().firstValue("Link").filter(link -> link.contains("rel=\"next\""))
                .map(link -> link.substring(link.indexOf('<') + 1, link.indexOf('>'))).orElse(null);
    }

    private boolean exists(HttpRequest.Builder request, List<String> scopes, String what) {
        HttpResponse<Void> response = send(request.method("HEAD", HttpRequest.BodyPublishers.noBody()), scopes, HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
            return true;
        }
        if (response.statusCode() == 404) {
            return false;
        }
        throw new RegistryException("check " + what + ": HTTP " + response.statusCode(), response.statusCode());
    }

    private HttpRequest.Builder request(String repository, String path) {
        return timed(HttpRequest.newBuilder(endpoint.url().resolve("/v2/" + namespace.resolve(repository) + path)));
    }

    private static HttpRequest.Builder timed(HttpRequest.Builder request) {
        return request.timeout(Duration.ofMinutes(30));
    }

    private List<String> pulling(String repository) {
        return List.of("repository:" + namespace.resolve(repository) + ":pull");
    }

    private List<String> pushing(String repository) {
        return List.of("repository:" + namespace.resolve(repository) + ":pull,push");
    }

    /**
     * Sends {@code request} with the authorization {@code scopes} need, asking again once when the registry challenges
     * it, waiting out {@code 429}s and following redirects; the response those end in.
     */
    private <T> HttpResponse<T> send(HttpRequest.Builder request, List<String> scopes, HttpResponse.BodyHandler<T> body) {
        HttpRequest.Builder next = request;
        boolean authorize = true;
        int challenges = 0;
        Duration waited = Duration.ZERO;
        int redirects = 0;
        while (true) {
            HttpRequest.Builder attempt = next.copy();
            String authorization = authorize ? auth.header(scopes).orElse(null) : null;
            if (authorization != null) {
                attempt.setHeader("Authorization", authorization);
            }
            HttpRequest sent = attempt.build();
            // the answers handled here are read whole (they are small) and kept for the message should they end the request
            AtomicReference<byte[]> handled = new AtomicReference<>();
            HttpResponse<T> response = exchange(sent, info -> handledHere(info.statusCode())
                    ? HttpResponse.BodySubscribers.mapping(HttpResponse.BodySubscribers.ofByteArray(), bytes -> {
                        handled.set(bytes);
                        return null;
                    })
                    : body.apply(info));
            int status = response.statusCode();
            String what = sent.method() + " " + sent.uri().getPath();
            List<String> challenge = response.headers().allValues("WWW-Authenticate");
            if (status == 401) {
                // at most: the first challenge, then one refused token replaced by a fresh one
                if (authorize && challenges < 2 && auth.challenged(challenge, scopes, authorization)) {
                    challenges++;
                    continue;
                }
                // a token without the asked scope: a login that may not do it is forbidden; no login at all is unauthorized
                if (RegistryAuth.insufficientScope(challenge) && auth.loggedIn()) {
                    throw new RegistryException("forbidden: " + endpoint.address() + " does not let " + auth.who() + " do " + String.join(" ", scopes)
                            + " (" + what + ")" + RegistryErrors.detail(handled.get()), 403);
                }
                throw new RegistryException("unauthorized: " + endpoint.address() + " refused " + what + " to " + auth.who()
                        + RegistryErrors.detail(handled.get()), 401);
            }
            if (status == 429) {
                Duration wait = retryAfter(response);
                if (waited.plus(wait).compareTo(rateLimitPatience) > 0) {
                    throw new RegistryException("rate-limited: " + endpoint.address() + " answered 429 Too Many Requests to " + what
                            + " and asks to wait " + wait.toSeconds() + " s more, past the " + rateLimitPatience.toSeconds()
                            + " s a request waits" + RegistryErrors.detail(handled.get()), 429);
                }
                LOG.warn("{} answered 429 Too Many Requests to {}: waiting {} s, as it asks, before asking again", endpoint.address(), what,
                        Math.max(1, wait.toSeconds()));
                sleep(wait);
                waited = waited.plus(wait);
                continue;
            }
            if (REDIRECTS.contains(status)) {
                URI location = response.headers().firstValue("Location").map(sent.uri()::resolve)
                        .orElseThrow(() -> new RegistryException(what + " was redirected (HTTP " + status + ") without a Location", status));
                if (++redirects > MAX_REDIRECTS) {
                    throw new RegistryException(what + " was redirected more than " + MAX_REDIRECTS + " times", status);
                }
                if (!java.util.Objects.equals(location.getRawAuthority(), sent.uri().getRawAuthority())) {
                    // a blob store's signed URL: the registry's authorization is not for it (and some refuse two)
                    authorize = false;
                    next = timed(HttpRequest.newBuilder(location)).method(sent.method(), HttpRequest.BodyPublishers.noBody());
                } else {
                    next = next.copy().uri(location);
                }
                continue;
            }
            return response;
        }
    }

    private static boolean handledHere(int status) {
        return status == 401 || status == 429 || REDIRECTS.contains(status);
    }

    /** How long a {@code 429} asks to wait: {@code Retry-After} in seconds or as an HTTP date, else a default. */
    static Duration retryAfter(HttpResponse<?> response) {
        String value = response.headers().firstValue("Retry-After").orElse("").strip();
        if (value.matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(value));
        }
        try {
            Duration until = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME));
            return until.isNegative() ? Duration.ZERO : until;
        } catch (DateTimeParseException unreadable) {
            return RATE_LIMIT_DEFAULT_WAIT;
        }
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(Math.max(wait.toMillis(), 0));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted waiting out a registry's rate limit", e);
        }
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> body) {
        try {
            return http.send(request, body);
        } catch (javax.net.ssl.SSLHandshakeException e) {
            throw new RegistryException("registry " + endpoint.url() + ": TLS failed (" + e.getMessage() + ")"
                    + (endpoint.caFile() == null ? "; for a registry with a private CA, give its CA file (--registry-ca " + endpoint.address() + "=FILE)"
                    : "; is " + endpoint.caFile() + " the CA that issued its certificate?"), e);
        } catch (IOException e) {
            throw new RegistryException("registry " + endpoint.url() + " unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted talking to " + endpoint.url(), e);
        }
    }

    private static void expect(HttpResponse<?> response, int status, String what) {
        if (response.statusCode() != status) {
            throw new RegistryException(what + ": HTTP " + response.statusCode() + RegistryErrors.detail(response.body()), response.statusCode());
        }
    }
}
