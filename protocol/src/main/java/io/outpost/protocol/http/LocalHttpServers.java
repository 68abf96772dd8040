package io.outpost.protocol.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * The bounds every HTTP server Outpost runs (the JDK's {@code com.sun.net.httpserver}: the provider mirror,
 * the dashboard and metrics) shares, so that slow or stuck clients cannot make it unreachable: a thread per
 * open exchange, so a client that sends its request a byte at a time holds only its own thread, not one of a
 * few; a request must be read within {@link #REQUEST_SECONDS} and an idle connection is closed after
 * {@link #IDLE_SECONDS}. The JDK reads those two bounds from system properties, once per process, when its
 * first server starts: {@link #executor} sets them first, unless the operator already has.
 */
public final class LocalHttpServers {
    /** Seconds a client has to send its whole request. */
    public static final int REQUEST_SECONDS = 10;
    /** Seconds a kept-alive connection may sit idle. */
    public static final int IDLE_SECONDS = 30;
    /** Threads one server may run at once; a client beyond them is refused rather than queued behind the rest. */
    public static final int MAX_THREADS = 512;

    private LocalHttpServers() {
    }

    /** The executor for a server named {@code name}; call it before the server is created. */
    public static ExecutorService executor(String name) {
        System.getProperties().putIfAbsent("sun.net.httpserver.maxReqTime", String.valueOf(REQUEST_SECONDS));
        System.getProperties().putIfAbsent("sun.net.httpserver.idleInterval", String.valueOf(IDLE_SECONDS));
        return new ThreadPoolExecutor(0, MAX_THREADS, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** An HTTPS server started with these bounds; closing it stops the server and its threads. */
    public record Started(HttpsServer server, ExecutorService executor) implements AutoCloseable {
        public int port() {
            return server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    /**
     * Starts an HTTPS server named {@code name} (its threads' name) on {@code address}, with {@code tls}'s
     * certificate, every request to {@code handler}; {@code what} names it in the error when the port is taken.
     */
    public static Started https(String name, String what, InetSocketAddress address, SSLContext tls, HttpHandler handler) {
        ExecutorService executor = executor(name);
        try {
            HttpsServer https = HttpsServer.create(address, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            https.setExecutor(executor);
            https.createContext("/", handler);
            https.start();
            return new Started(https, executor);
        } catch (IOException e) {
            executor.shutdownNow();
            throw new UncheckedIOException("cannot serve " + what + " on " + address.getHostString() + ":" + address.getPort() + ": " + e.getMessage()
                    + " (is another process on that port? choose another)", e);
        }
    }

    /** Sends a whole small body (none to a HEAD request). */
    public static void respond(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : body.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Streams a file, never held whole (its length only, to a HEAD request). */
    public static void respondFile(HttpExchange exchange, String contentType, Path file) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        long size = Files.size(file);
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.getResponseHeaders().set("Content-Length", Long.toString(size));
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        exchange.sendResponseHeaders(200, size);
        try (OutputStream out = exchange.getResponseBody()) {
            Files.copy(file, out);
        }
    }

    /** A plain-text answer, one line: what went wrong and what to do. */
    public static void respondText(HttpExchange exchange, int status, String line) throws IOException {
        respond(exchange, status, "text/plain; charset=utf-8", (line + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
