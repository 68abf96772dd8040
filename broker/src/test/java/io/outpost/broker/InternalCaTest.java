package io.outpost.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InternalCaTest {
    @TempDir
    Path dir;

    @Test
    void theCaIsCreatedOnceKeptAcrossRestartsAndItsKeyIsPrivate() throws Exception {
        InternalCa first = InternalCa.loadOrCreate(dir.resolve("tls"), "polar-1", Clock.systemUTC());
        InternalCa again = InternalCa.loadOrCreate(dir.resolve("tls"), "polar-1", Clock.systemUTC());

        assertThat(again.certificate()).isEqualTo(first.certificate());
        assertThat(Files.readString(first.certificateFile())).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("tls")))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("tls/ca-key.pem")))).as("the CA key").isEqualTo("rw-------");
        assertThat(first.certificate().getNotAfter().toInstant()).as("outlives any outage").isAfter(Instant.now().plus(Duration.ofDays(365 * 25)));
    }

    @Test
    void aClientTrustingOnlyTheCaCompletesAHandshakeWithAServerItIssued() throws Exception {
        InternalCa ca = InternalCa.loadOrCreate(dir.resolve("tls"), "polar-1", Clock.systemUTC());
        InternalCa reloaded = InternalCa.loadOrCreate(dir.resolve("tls"), "polar-1", Clock.systemUTC());
        try (SSLServerSocket server = (SSLServerSocket) reloaded.serverContext(List.of("127.0.0.1", "localhost")).getServerSocketFactory()
                .createServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Thread accept = new Thread(() -> {
                try (SSLSocket socket = (SSLSocket) server.accept()) {
                    socket.getOutputStream().write(42);
                } catch (Exception ignored) {
                    // the client's assertion tells
                }
            });
            accept.start();
            try (SSLSocket client = (SSLSocket) ca.clientContext().getSocketFactory().createSocket("127.0.0.1", server.getLocalPort())) {
                javax.net.ssl.SSLParameters parameters = client.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                client.setSSLParameters(parameters);
                assertThat(client.getInputStream().read()).isEqualTo(42);
            }
            accept.join();
        }
    }
}
