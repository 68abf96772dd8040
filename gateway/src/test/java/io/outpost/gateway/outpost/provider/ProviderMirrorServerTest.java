package io.outpost.gateway.outpost.provider;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.broker.InternalCa;
import io.outpost.content.Digests;
import io.outpost.content.provider.PackageHashes;
import io.outpost.protocol.ProviderGet;
import io.outpost.protocol.ProviderPackage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderMirrorServerTest {
    @TempDir
    Path dir;
    private final List<ProviderGet> asked = new CopyOnWriteArrayList<>();
    private ProviderMirror mirror;
    private ProviderMirrorServer server;
    private HttpClient client;

    @BeforeEach
    void start() {
        InternalCa ca = InternalCa.loadOrCreate(dir.resolve("tls"), "test-outpost", Clock.systemUTC());
        mirror = new ProviderMirror(dir.resolve("providers"));
        server = ProviderMirrorServer.start(mirror, ca, 0, asked::add);
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

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(request(path), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create(server.url() + path)).GET().build();
    }
}
