package io.outpost.gateway.outpost.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.broker.InternalCa;
import io.outpost.content.Digests;
import io.outpost.content.provider.PackageHashes;
import io.outpost.data.SiteData;
import io.outpost.gateway.outpost.module.ModuleMirror;
import io.outpost.gateway.outpost.module.ModuleRegistryHandler;
import io.outpost.protocol.ProviderGet;
import io.outpost.protocol.ProviderPackage;
import io.outpost.protocol.http.LocalHttpServers;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderMirrorServerTest {
    @TempDir
    Path dir;
    private final List<ProviderGet> asked = new CopyOnWriteArrayList<>();
    private InternalCa ca;
    private ProviderMirror mirror;
    private ProviderMirrorServer server;
    private HttpClient client;

    @BeforeEach
    void start() {
        ca = InternalCa.loadOrCreate(dir.resolve("tls"), "test-outpost", Clock.systemUTC());
        mirror = new ProviderMirror(dir.resolve("providers"));
        server = ProviderMirrorServer.start(mirror, ca, 0, asked::add,
                new ModuleRegistryHandler(new ModuleMirror(new SiteData(dir), Clock.systemUTC()), get -> { }));
        client = HttpClient.newBuilder().sslContext(ca.clientContext()).build();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void servesHeldPackagesInTheNetworkMirrorProtocol() throws Exception {
        Path zip = dir.resolve("upload.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("terraform-provider-thing_v2.1.0"));
            out.write("binary".getBytes());
        }
        mirror.put(new ProviderPackage("example.org/team/thing", "2.1.0", "linux_amd64", Digests.sha256(zip), PackageHashes.h1(zip),
                Files.size(zip)), zip);

        assertThat(get("example.org/team/thing/index.json").body()).isEqualTo("{\"versions\":{\"2.1.0\":{}}}");
        assertThat(get("example.org/team/thing/2.1.0.json").body()).contains("\"linux_amd64\"")
                .contains("\"url\":\"terraform-provider-thing_2.1.0_linux_amd64.zip\"")
                .contains(PackageHashes.h1(zip)).contains("zh:" + Digests.sha256(zip));
        HttpResponse<byte[]> archive = client.send(request("example.org/team/thing/terraform-provider-thing_2.1.0_linux_amd64.zip"),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(archive.body()).isEqualTo(Files.readAllBytes(zip));
        assertThat(asked).isEmpty();
    }

    @Test
    void whatTheMirrorLacksAnswers404AndIsAskedForOverTheLink() throws Exception {
        HttpResponse<String> index = get("Example.org/team/other/index.json");
        HttpResponse<String> version = get("example.org/team/other/1.4.0.json");

        assertThat(index.statusCode()).isEqualTo(404);
        assertThat(index.body()).contains("asked for over the link");
        assertThat(version.statusCode()).isEqualTo(404);
        assertThat(asked).extracting(ProviderGet::subject).containsExactly("example.org/team/other", "example.org/team/other = 1.4.0");
        assertThat(get("example.org/../etc/passwd").statusCode()).isIn(400, 404);
    }

    @Test
    void aHundredSlowClientsDoNotKeepTheMirrorFromOthersAndAreCutOffOnceTheirTimeIsUp() throws Exception {
        List<SSLSocket> slow = new CopyOnWriteArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(100);
        try {
            for (int i = 0; i < 100; i++) {
                clients.execute(() -> {
                    try {
                        SSLSocket socket = (SSLSocket) ca.clientContext().getSocketFactory().createSocket("127.0.0.1", server.url().getPort());
                        slow.add(socket);
                        socket.startHandshake();
                        // a request line, then nothing: each holds an exchange open, as a slowloris client does
                        socket.getOutputStream().write("GET /example.org/team/thing/index.json HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
                        socket.getOutputStream().flush();
                    } catch (IOException cutOff) {
                        // the server may close it; what matters is the normal request below
                    }
                });
            }
            for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5); slow.size() < 100 && System.nanoTime() < deadline; ) {
                Thread.sleep(20);
            }
            // within seconds, not once the slow ones' time is up (with 4 workers it waited behind 96 of them)
            HttpClient impatient = HttpClient.newBuilder().sslContext(ca.clientContext()).connectTimeout(Duration.ofSeconds(20)).build();
            long start = System.nanoTime();
            HttpResponse<String> normal = impatient.send(HttpRequest.newBuilder(URI.create(server.url() + "example.org/team/thing/index.json"))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(normal.statusCode()).as("answered beside them").isEqualTo(404);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("not kept waiting behind them").isLessThan(Duration.ofSeconds(5));

            SSLSocket first = slow.get(0);
            first.setSoTimeout((int) TimeUnit.SECONDS.toMillis(LocalHttpServers.REQUEST_SECONDS * 3L));
            assertThat(first.getInputStream().read()).as("closed once its request took longer than allowed").isEqualTo(-1);
        } finally {
            clients.shutdownNow();
            for (SSLSocket socket : slow) {
                socket.close();
            }
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(request(path), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create(server.url() + path)).GET().build();
    }
}
