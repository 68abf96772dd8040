package io.outpost.journeys;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real standalone Artemis broker, outside the test JVM: an instance made with the distribution's
 * {@code artemis create} (unpacked from Maven Central by the build), run with {@code artemis run}.
 */
final class StandaloneArtemis implements AutoCloseable {
    static final Path HOME = Path.of(System.getProperty("outpost.artemis.home", "target/artemis/apache-artemis-2.40.0"));

    private final Path instance;
    private final int port;
    private Process process;

    private StandaloneArtemis(Path instance, int port) {
        this.instance = instance;
        this.port = port;
    }

    /**
     * A single broker on 127.0.0.1:{@code port} whose users log in with {@code password}: {@code users}, each
     * allowed everything (an operator's broker, with its own policy; Outpost's per-role permissions are the
     * embedded broker's).
     */
    static StandaloneArtemis single(Path instance, String name, int port, List<String> users, String password)
            throws IOException, InterruptedException {
        StandaloneArtemis broker = create(instance, name, port, List.of("--user", users.get(0), "--password", password, "--require-login"));
        Path etc = instance.resolve("etc");
        for (String user : users.subList(1, users.size())) {
            // the file ends without a newline
            Files.writeString(etc.resolve("artemis-users.properties"), "\n" + user + " = " + password + "\n", StandardOpenOption.APPEND);
        }
        Path roles = etc.resolve("artemis-roles.properties");
        Files.writeString(roles, Files.readString(roles).replaceAll("(?m)^amq\\s*=.*$", "amq = " + String.join(",", users)));
        return broker;
    }

    /**
     * One broker of a replicated pair on 127.0.0.1:{@code port}, its peer on {@code peerPort}; users
     * must log in, {@code user} may do everything.
     */
    static StandaloneArtemis replicated(Path instance, String name, int port, int peerPort, boolean backup, String user, String password)
            throws IOException, InterruptedException {
        List<String> options = new ArrayList<>(List.of("--user", user, "--password", password, "--require-login", "--cluster-user", "cluster",
                "--cluster-password", password, "--replicated", "--failover-on-shutdown", "--staticCluster", "tcp://127.0.0.1:" + peerPort));
        if (backup) {
            options.add("--backup");
        }
        return create(instance, name, port, options);
    }

    private static StandaloneArtemis create(Path instance, String name, int port, List<String> options) throws IOException, InterruptedException {
        Files.createDirectories(instance.getParent());
        // through sh: the unpacked distribution's scripts may have lost their executable bits
        List<String> create = new ArrayList<>(List.of("sh", HOME.resolve("bin/artemis").toString(), "create", instance.toString(), "--silent", "--force",
                "--name", name, "--host", "127.0.0.1", "--default-port", String.valueOf(port), "--no-web", "--no-amqp-acceptor", "--no-mqtt-acceptor",
                "--no-stomp-acceptor", "--no-hornetq-acceptor", "--no-autotune", "--java-memory", "256M"));
        create.addAll(options);
        run(create, instance.resolveSibling(name + "-create.log"));
        // the profile starts the heap at 512 MB, over the 256 MB maximum this 2-core machine can spare
        Path profile = instance.resolve("etc/artemis.profile");
        Files.writeString(profile, Files.readString(profile).replace("-Xms512M", "-Xms64M"));
        return new StandaloneArtemis(instance, port);
    }

    void start() throws IOException {
        process = new ProcessBuilder("sh", instance.resolve("bin/artemis").toString(), "run").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log().toFile())).start();
    }

    /** Waits until the broker's log says {@code text} (an AMQ code). */
    void awaitLog(String text, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> Files.exists(log()) && Files.readString(log()).contains(text));
    }

    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    /** Kills the broker's JVM at once, as a power cut would. */
    void kill() {
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    Path log() {
        return instance.resolveSibling(instance.getFileName() + ".log");
    }

    @Override
    public void close() {
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroy);
            process.destroy();
        }
    }

    private static void run(List<String> command, Path log) throws IOException, InterruptedException {
        Process create = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (create.waitFor() != 0) {
            throw new IllegalStateException("artemis create failed: " + Files.readString(log));
        }
    }
}
