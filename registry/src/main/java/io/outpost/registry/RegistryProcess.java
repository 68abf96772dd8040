package io.outpost.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * A CNCF Distribution registry ({@code docker-registry}) run as a child process on 127.0.0.1 with its
 * own config and storage, polled until it answers. Stopped with the process that started it.
 */
public final class RegistryProcess implements AutoCloseable {
    public static final Path DEFAULT_BINARY = Path.of("/usr/bin/docker-registry");

    private final Process process;
    private final String address;
    private final Options options;

    private RegistryProcess(Process process, String address, Options options) {
        this.process = process;
        this.address = address;
        this.options = options;
    }

    /**
     * What a registry has beyond loopback HTTP without auth: an {@code auth:} section (YAML, e.g. token auth) and a TLS
     * certificate and key (PEM files), each null for none.
     */
    public record Options(String auth, Path certificate, Path key) {
        public static final Options NONE = new Options(null, null, null);

        boolean tls() {
            return certificate != null;
        }
    }

    /** @param port 0 for the port this registry had before (read from its config), else a free one */
    public static RegistryProcess start(Path binary, Path dir, int port) {
        return start(binary, dir, port, Options.NONE);
    }

    public static RegistryProcess start(Path binary, Path dir, int port, Options options) {
        if (!Files.isExecutable(binary)) {
            throw new IllegalStateException("the registry binary " + binary + " is missing: install it with "
                    + "'apt-get install -y docker-registry' (CNCF Distribution), or pass its path");
        }
        try {
            Path config = dir.resolve("config.yml");
            int chosen = port > 0 ? port : previousPort(config).orElse(freePort());
            Files.createDirectories(dir.resolve("storage"));
            Files.writeString(config, """
                    # Written by Outpost: a registry on loopback only, storage beside this file.
                    version: 0.1
                    log:
                      level: warn
                      accesslog:
                        disabled: true
                    storage:
                      filesystem:
                        rootdirectory: %s
                      delete:
                        enabled: true
                    http:
                      addr: 127.0.0.1:%d
                    """.formatted(dir.resolve("storage").toAbsolutePath(), chosen)
                    + (options.tls() ? "  tls:\n    certificate: %s\n    key: %s\n".formatted(options.certificate().toAbsolutePath(),
                            options.key().toAbsolutePath()) : "")
                    + (options.auth() == null ? "" : options.auth()));
            Process process = new ProcessBuilder(binary.toString(), "serve", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("registry.log").toFile())
                    .start();
            RegistryProcess registry = new RegistryProcess(process, "127.0.0.1:" + chosen, options);
            // a child registry must not outlive its JVM, however the JVM ends (short of SIGKILL)
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "stop-registry-" + chosen));
            registry.awaitReady(Duration.ofSeconds(20));
            return registry;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the registry in " + dir, e);
        }
    }

    /** host:port, as image references name it. */
    public String address() {
        return address;
    }

    public URI url() {
        return URI.create((options.tls() ? "https://" : "http://") + address);
    }

    private void awaitReady(Duration timeout) {
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1));
        if (options.tls()) {
            client.sslContext(TrustedCertificates.context(options.certificate(), address));
        }
        HttpClient http = client.build();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the registry on " + address + " exited with " + process.exitValue() + "; see its registry.log");
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(url().resolve("/v2/")).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                // a registry with auth answers 401 until a client logs in: it is up all the same
                if (response.statusCode() == 200 || response.statusCode() == 401) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            try {
                process.waitFor(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
        throw new IllegalStateException("the registry on " + address + " did not answer within " + timeout.toSeconds() + "s");
    }

    private static java.util.Optional<Integer> previousPort(Path config) throws IOException {
        if (!Files.exists(config)) {
            return java.util.Optional.empty();
        }
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("addr: 127\\.0\\.0\\.1:(\\d+)").matcher(Files.readString(config));
        return matcher.find() ? java.util.Optional.of(Integer.parseInt(matcher.group(1))) : java.util.Optional.empty();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
