package io.outpost.cli;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.outpost.protocol.http.LocalHttpServers;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;

/**
 * A role's HTTP endpoint (on 127.0.0.1 unless told otherwise): {@code GET /metrics} in the Prometheus text format, and whatever
 * else the role serves beside it (the outpost's dashboard).
 */
public final class MetricsEndpoint implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsEndpoint(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** @param port 0 for a free one */
    public static MetricsEndpoint start(PrometheusMeterRegistry registry, int port) {
        return start(registry, "127.0.0.1", port);
    }

    /** @param host the address to listen on: 127.0.0.1, or 0.0.0.0 in a container that Prometheus scrapes from outside */
    public static MetricsEndpoint start(PrometheusMeterRegistry registry, String host, int port) {
        try {
            // one thread per open exchange: live views hold theirs open
            ExecutorService executor = LocalHttpServers.executor("http-" + host + ":" + port);
            HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
            server.setExecutor(executor);
            server.createContext("/metrics", exchange -> {
                byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            return new MetricsEndpoint(server, executor);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve metrics on " + host + ":" + port + ": " + e.getMessage(), e);
        }
    }

    /** Serves {@code path} (and everything under it) with {@code handler}. */
    public void serve(String path, HttpHandler handler) {
        server.createContext(path, handler);
    }

    /** The base URL, e.g. {@code http://127.0.0.1:8080/}. */
    public String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    public String url() {
        return base() + "metrics";
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
