package io.outpost.registry;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A registry behind a front that can answer {@code 429 Too Many Requests}, as a busy public registry does: every
 * request is passed to the registry and its answer back, streamed, except the next one whose path contains what
 * {@link #rateLimitNext} was given. Records every request's method and path.
 */
public final class RateLimitingProxy implements AutoCloseable {
    private static final Set<String> HOP_BY_HOP = Set.of("host", "connection", "content-length", "transfer-encoding", "expect", "upgrade");

    private final HttpServer server;
    private final URI target;
    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicReference<String[]> limited = new AtomicReference<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    private RateLimitingProxy(URI target) throws IOException {
        this.target = target;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::pass);
        server.start();
    }

    public static RateLimitingProxy in(URI registry) {
        try {
            return new RateLimitingProxy(registry);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** The next request whose path contains {@code pathPart} is answered 429 with {@code Retry-After: retryAfter} (null for none). */
    public void rateLimitNext(String pathPart, String retryAfter) {
        limited.set(new String[] {pathPart, retryAfter});
    }

    /** "METHOD path" of every request seen, in order. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    private void pass(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            requests.add(exchange.getRequestMethod() + " " + path);
            String[] limit = limited.get();
            if (limit != null && path.contains(limit[0]) && limited.compareAndSet(limit, null)) {
                if (limit[1] != null) {
                    exchange.getResponseHeaders().set("Retry-After", limit[1]);
                }
                byte[] body = "{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"pull rate limit exceeded\"}]}".getBytes();
                exchange.sendResponseHeaders(429, body.length);
                exchange.getResponseBody().write(body);
                return;
            }
            HttpRequest.Builder forward = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().toString()))
                    .method(exchange.getRequestMethod(), HttpRequest.BodyPublishers.ofInputStream(exchange::getRequestBody));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                    values.forEach(value -> forward.header(name, value));
                }
            });
            HttpResponse<InputStream> answer = http.send(forward.build(), HttpResponse.BodyHandlers.ofInputStream());
            for (Map.Entry<String, List<String>> header : answer.headers().map().entrySet()) {
                if (!HOP_BY_HOP.contains(header.getKey().toLowerCase(java.util.Locale.ROOT)) && !header.getKey().startsWith(":")) {
                    exchange.getResponseHeaders().put(header.getKey(), header.getValue());
                }
            }
            long length = answer.headers().firstValueAsLong("Content-Length").orElse(0);
            boolean empty = exchange.getRequestMethod().equals("HEAD") || length == 0 && answer.headers().firstValue("Content-Length").isPresent();
            exchange.sendResponseHeaders(answer.statusCode(), empty ? -1 : length);
            try (InputStream in = answer.body(); OutputStream out = exchange.getResponseBody()) {
                in.transferTo(out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
