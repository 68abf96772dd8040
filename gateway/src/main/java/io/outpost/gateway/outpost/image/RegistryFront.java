package io.outpost.gateway.outpost.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.outpost.content.Digests;
import io.outpost.content.Tenants;
import io.outpost.gateway.outpost.git.GitReaders;
import io.outpost.protocol.Json;
import io.outpost.protocol.http.LocalHttpServers;
import io.outpost.registry.MediaTypes;
import io.outpost.registry.Referrers;
import io.outpost.registry.RegistryEndpoint;
import io.outpost.registry.RegistryNamespace;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OCI distribution endpoint that runtimes and operators at the outpost pull from: HTTPS (the outpost's internal CA)
 * in front of the local registry, read-only. Manifests, blobs and tag lists are streamed from the registry as it
 * serves them, never held whole; on top of it the front serves what Distribution 2.8 cannot: the multi-arch indexes
 * the outpost holds for some platforms only ({@link KeptIndexes}, by digest and by tag), the OCI 1.1 referrers API
 * ({@code /v2/NAME/referrers/DIGEST}, from the referrers tag schema the image's answer brought), and pull-through: a
 * manifest the registry lacks, of a repository the outpost may have, is asked for over the link at once and answered
 * {@code MANIFEST_UNKNOWN} saying so, so the runtime's next pull (kubelet's back-off, a retry) finds it. At an outpost
 * shared by tenants every request signs in (basic auth) as a namespace's reader, who reads that namespace's repositories
 * only (a tenant's are {@code TENANT/...} in the registry); without tenants it is open, as a registry on loopback is.
 */
public final class RegistryFront implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryFront.class);
    private static final Pattern MANIFEST = Pattern.compile("^/v2/(.+)/manifests/([^/]+)$");
    private static final Pattern REFERRERS = Pattern.compile("^/v2/(.+)/referrers/(sha256:[0-9a-f]{64})$");
    /** Any path about one repository: its manifests, blobs, tags or referrers. */
    private static final Pattern REPOSITORY = Pattern.compile("^/v2/(.+)/(manifests|blobs|tags|referrers)/.*$");
    /** Request headers a registry answers by, passed on. */
    private static final List<String> PASSED_ON = List.of("Accept", "Range", "If-None-Match");
    /** Answer headers a client reads, passed back. */
    private static final List<String> PASSED_BACK = List.of("Content-Type", "Docker-Content-Digest", "Docker-Distribution-API-Version", "ETag", "Link",
            "Content-Range", "Accept-Ranges");
    private static final Set<String> READS = Set.of("GET", "HEAD");

    /** Asks for an image the registry lacks (registry name, reference); what to tell the runtime, or empty when it is not the outpost's to ask for. */
    public interface PullThrough {
        Optional<String> ask(String repository, String reference);
    }

    private final URI registry;
    private final List<KeptIndexes> kept;
    private final PullThrough pullThrough;
    private final GitReaders readers;
    private final Set<String> tenants;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private LocalHttpServers.Started server;

    private RegistryFront(URI registry, List<KeptIndexes> kept, PullThrough pullThrough, GitReaders readers, Set<String> tenants) {
        this.registry = registry;
        this.kept = List.copyOf(kept);
        this.pullThrough = pullThrough;
        this.readers = readers;
        this.tenants = Set.copyOf(tenants);
    }

    /**
     * @param local the local registry (its own address, which only the gateway need use)
     * @param kept every namespace's kept indexes
     * @param pullThrough what a manifest the registry lacks sets off
     * @param readers who may read which namespace ({@link GitReaders}: the git server's users); asked for only when there are {@code tenants}
     */
    public static RegistryFront start(RegistryEndpoint local, List<KeptIndexes> kept, PullThrough pullThrough, GitReaders readers, Collection<String> tenants,
                                      InetSocketAddress listen, SSLContext tls) {
        RegistryFront front = new RegistryFront(local.url(), kept, pullThrough, readers, Set.copyOf(tenants));
        front.server = LocalHttpServers.https("registry-front", "the registry front (--registry-front)", listen, tls, front::handle);
        return front;
    }

    /** host:port, as image references at the outpost name it. */
    public String address() {
        InetSocketAddress bound = server.server().getAddress();
        String host = bound.getAddress().isAnyLocalAddress() ? "127.0.0.1" : bound.getHostString();
        return host + ":" + server.port();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            if (!READS.contains(exchange.getRequestMethod())) {
                error(exchange, 405, "UNSUPPORTED", "the outpost's registry is filled over the link and is read-only here: push to the origin"
                        + " registry upstream serves");
                return;
            }
            if (!tenants.isEmpty() && !signedIn(exchange, path)) {
                return;
            }
            Matcher manifest = MANIFEST.matcher(path);
            if (manifest.matches() && keptIndex(manifest.group(1), manifest.group(2)).map(bytes -> serveIndex(exchange, bytes)).orElse(false)) {
                return;
            }
            Matcher referrers = REFERRERS.matcher(path);
            if (referrers.matches()) {
                referrers(exchange, referrers.group(1), referrers.group(2));
                return;
            }
            pass(exchange, manifest.matches() ? manifest : null);
        } catch (IOException e) {
            LOG.debug("registry front: {} {} ended early: {}", exchange.getRequestMethod(), exchange.getRequestURI(), e.getMessage());
        }
    }

    /** True when the request's reader may read what it asks for; else it has been answered 401 or 403. */
    private boolean signedIn(HttpExchange exchange, String path) throws IOException {
        Optional<String> reader = readers.namespaceOf(exchange.getRequestHeaders().getFirst("Authorization"));
        if (reader.isEmpty()) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"outpost registry\", charset=\"UTF-8\"");
            error(exchange, 401, "UNAUTHORIZED", "sign in as your namespace's reader (" + GitReaders.userOf(Tenants.OUTPOST) + ", or "
                    + GitReaders.userOf(Tenants.OUTPOST) + "-<tenant>: the git server's users); its password is in DATA/outpost/git-users/ at the outpost");
            return false;
        }
        Matcher repository = REPOSITORY.matcher(path);
        boolean allowed = repository.matches() ? RegistryNamespace.tenantOf(repository.group(1), tenants).equals(reader.get())
                : path.equals("/v2/") || path.equals("/v2") || Tenants.OUTPOST.equals(reader.get());
        if (!allowed) {
            error(exchange, 403, "DENIED", GitReaders.userOf(reader.get()) + " reads only " + Tenants.describe(reader.get()) + "'s repositories");
        }
        return allowed;
    }

    private Optional<byte[]> keptIndex(String repository, String reference) {
        Optional<String> digest = reference.startsWith("sha256:") ? Optional.of(reference)
                : kept.stream().map(indexes -> indexes.tagged(repository, reference)).flatMap(Optional::stream).findFirst();
        return digest.flatMap(named -> kept.stream().map(indexes -> indexes.index(named)).flatMap(Optional::stream).findFirst());
    }

    private static boolean serveIndex(HttpExchange exchange, byte[] index) {
        try {
            JsonNode root = Json.MAPPER.readTree(index);
            exchange.getResponseHeaders().set("Docker-Content-Digest", "sha256:" + Digests.sha256(index));
            exchange.getResponseHeaders().set("Content-Length", Integer.toString(index.length));
            LocalHttpServers.respond(exchange, 200, root.path("mediaType").asText(MediaTypes.OCI_INDEX), index);
            return true;
        } catch (IOException e) {
            LOG.debug("registry front: could not send a kept index: {}", e.getMessage());
            return true;
        }
    }

    /** The OCI 1.1 referrers API, from the referrers tag schema's index in the registry; filtered by {@code artifactType} when asked. */
    private void referrers(HttpExchange exchange, String repository, String digest) throws IOException {
        HttpResponse<byte[]> tagged = send(HttpRequest.newBuilder(registry.resolve("/v2/" + repository + "/manifests/" + Referrers.tagOf(digest)))
                .header("Accept", MediaTypes.OCI_INDEX).GET(), HttpResponse.BodyHandlers.ofByteArray());
        if (tagged == null) {
            error(exchange, 503, "UNAVAILABLE", "the outpost's local registry is not answering");
            return;
        }
        String artifactType = query(exchange, "artifactType");
        ObjectNode answer = Json.MAPPER.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_INDEX);
        ArrayNode manifests = answer.putArray("manifests");
        if (tagged.statusCode() == 200) {
            for (JsonNode descriptor : Json.MAPPER.readTree(tagged.body()).path("manifests")) {
                if (artifactType == null || artifactType.equals(descriptor.path("artifactType").asText())) {
                    manifests.add(descriptor);
                }
            }
        }
        if (artifactType != null) {
            exchange.getResponseHeaders().set("OCI-Filters-Applied", "artifactType");
        }
        LocalHttpServers.respond(exchange, 200, MediaTypes.OCI_INDEX, answer.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Passes the request to the registry and its answer back, streamed; {@code manifest} (null for other paths) may pull through. */
    private void pass(HttpExchange exchange, Matcher manifest) throws IOException {
        URI target = registry.resolve(exchange.getRequestURI().getRawPath() + (exchange.getRequestURI().getRawQuery() == null ? ""
                : "?" + exchange.getRequestURI().getRawQuery()));
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(Duration.ofMinutes(30))
                .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.noBody());
        PASSED_ON.forEach(name -> exchange.getRequestHeaders().getOrDefault(name, List.of()).forEach(value -> request.header(name, value)));
        HttpResponse<InputStream> answer = send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (answer == null) {
            error(exchange, 503, "UNAVAILABLE", "the outpost's local registry is not answering; the gateway keeps what arrives until it does");
            return;
        }
        if (answer.statusCode() == 404 && manifest != null) {
            Optional<String> asked = askFor(manifest.group(1), manifest.group(2));
            if (asked.isPresent()) {
                try (InputStream in = answer.body()) {
                    in.transferTo(OutputStream.nullOutputStream());
                }
                error(exchange, 404, "MANIFEST_UNKNOWN", asked.get());
                return;
            }
        }
        PASSED_BACK.forEach(name -> answer.headers().firstValue(name).ifPresent(value -> exchange.getResponseHeaders().set(name, value)));
        long length = answer.headers().firstValueAsLong("Content-Length").orElse(-1);
        try (InputStream in = answer.body()) {
            if (exchange.getRequestMethod().equals("HEAD") || length == 0) {
                if (length >= 0) {
                    exchange.getResponseHeaders().set("Content-Length", Long.toString(length));
                }
                exchange.sendResponseHeaders(answer.statusCode(), -1);
                in.transferTo(OutputStream.nullOutputStream());
                return;
            }
            // the JDK's server streams a known length as is and an unknown one (0 here) chunked
            exchange.sendResponseHeaders(answer.statusCode(), Math.max(length, 0));
            try (OutputStream out = exchange.getResponseBody()) {
                in.transferTo(out);
            }
        }
    }

    private Optional<String> askFor(String repository, String reference) {
        try {
            return pullThrough.ask(repository, reference);
        } catch (RuntimeException e) {
            LOG.warn("registry front: could not ask for {}:{} over the link: {}", repository, reference, e.getMessage());
            return Optional.empty();
        }
    }

    private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body) {
        try {
            return http.send(request.build(), body);
        } catch (IOException e) {
            LOG.warn("registry front: the local registry at {} is not answering: {}", registry, e.getMessage());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static String query(HttpExchange exchange, String name) {
        String query = exchange.getRequestURI().getRawQuery();
        if (query == null) {
            return null;
        }
        for (String parameter : query.split("&")) {
            String[] pair = parameter.split("=", 2);
            if (pair[0].equals(name) && pair.length == 2) {
                return java.net.URLDecoder.decode(pair[1], StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** An error as the distribution spec words them. */
    private static void error(HttpExchange exchange, int status, String code, String message) throws IOException {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.putArray("errors").addObject().put("code", code).put("message", message);
        LocalHttpServers.respond(exchange, status, "application/json", body.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.close();
    }
}
