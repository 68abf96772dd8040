package io.outpost.journeys;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Ports on 127.0.0.1 for the processes a journey starts. */
final class LocalPorts {
    private LocalPorts() {
    }

    /** Ports handed out already: the kernel may offer a closed one again, and two roles of a journey must not get the same. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    /** A port nothing listens on now, and not handed out before in this JVM. */
    static int free() {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0)) {
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Waits until something accepts connections on {@code port}. */
    static void awaitListening(int port, Duration atMost) {
        await().atMost(atMost).until(() -> {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return socket.isConnected();
            } catch (IOException notYet) {
                return false;
            }
        });
    }
}
