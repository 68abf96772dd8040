package io.outpost.protocol.http;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

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
}
