package io.outpost.txrxsim.origin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.outpost.content.Digests;
import io.outpost.content.provider.ProviderAddress;
import io.outpost.content.provider.ProviderPlatform;
import io.outpost.data.DurableFiles;
import io.outpost.protocol.Json;
import io.outpost.protocol.http.LocalHttpServers;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/**
 * The demo's origin provider registry: Terraform's provider registry protocol (service discovery, version
 * list, download metadata, SHA256SUMS, archives) over HTTP on 127.0.0.1, for one provider, {@link #SOURCE}.
 * Like a public registry it signs each SHA256SUMS with an OpenPGP key listed in the download metadata.
 * Its packages hold a small executable that speaks just enough of the plugin protocol for terraform to load
 * its (empty) schema; it needs Debian's python3-grpcio. Files live under {@code dir}, one zip and one
 * SHA256SUMS per version, built for the platform this JVM runs on.
 */
public final class DemoProviderRegistry implements AutoCloseable {
    public static final ProviderAddress SOURCE = ProviderAddress.parse("registry.outpost.test/demo/stamp");
    public static final String VERSION = "1.0.0";
    private static final Pattern DOWNLOAD = Pattern.compile("/v1/providers/demo/stamp/([^/]+)/download/([a-z0-9]+)/([a-z0-9]+)");

    private final HttpServer server;
    private final Path dir;
    private final DemoSigningKey key = new DemoSigningKey();

    private DemoProviderRegistry(HttpServer server, Path dir) {
        this.server = server;
        this.dir = dir;
    }

    /** Serves the packages in {@code dir}, publishing {@link #VERSION} first when there are none. */
    public static DemoProviderRegistry start(Path dir) {
        try {
            Files.createDirectories(dir);
            HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            DemoProviderRegistry registry = new DemoProviderRegistry(http, dir);
            if (registry.versions().isEmpty()) {
                registry.publish(VERSION);
            }
            for (String version : registry.versions()) {
                registry.sign(version);
            }
            http.createContext("/", registry::handle);
            http.start();
            return registry;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the demo provider registry", e);
        }
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    /** Builds and publishes {@code version} for this machine's platform: its zip and its SHA256SUMS. */
    public synchronized void publish(String version) {
        String platform = ProviderPlatform.current();
        Path zip = archive(version, platform);
        try (InputStream plugin = DemoProviderRegistry.class.getResourceAsStream("demo-provider.py");
             ZipArchiveOutputStream out = new ZipArchiveOutputStream(Files.newOutputStream(zip))) {
            ZipArchiveEntry entry = new ZipArchiveEntry("terraform-provider-" + SOURCE.type() + "_v" + version);
            entry.setUnixMode(0100755);
            entry.setTime(0);
            out.putArchiveEntry(entry);
            plugin.transferTo(out);
            out.closeArchiveEntry();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build demo provider package " + zip, e);
        }
        DurableFiles.writeAtomically(shasums(version), (Digests.sha256(zip) + "  " + zip.getFileName() + "\n").getBytes(StandardCharsets.UTF_8));
        sign(version);
    }

    /** Signs the SHA256SUMS of {@code version} with this run's key, as {@code ..._SHA256SUMS.sig}. */
    private void sign(String version) {
        try {
            DurableFiles.writeAtomically(signature(version), key.sign(Files.readAllBytes(shasums(version))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sign the checksums of " + version, e);
        }
    }

    private Path signature(String version) {
        return shasums(version).resolveSibling(shasums(version).getFileName() + ".sig");
    }

    /** The package file of {@code version} for {@code platform}; tests overwrite it to play a compromised origin. */
    public Path archive(String version, String platform) {
        return dir.resolve(SOURCE.archiveName(version, platform));
    }

    private Path shasums(String version) {
        return dir.resolve("terraform-provider-" + SOURCE.type() + "_" + version + "_SHA256SUMS");
    }

    private Set<String> versions() throws IOException {
        // a version is published once its SHA256SUMS exists
        Set<String> versions = new TreeSet<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.map(file -> file.getFileName().toString()).filter(name -> name.endsWith("_SHA256SUMS"))
                    .forEach(name -> versions.add(name.split("_")[1]));
        }
        return versions;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Matcher download = DOWNLOAD.matcher(path);
            if (path.equals("/.well-known/terraform.json")) {
                json(exchange, Json.MAPPER.createObjectNode().put("providers.v1", "/v1/providers/"));
            } else if (path.equals("/v1/providers/demo/stamp/versions")) {
                ObjectNode body = Json.MAPPER.createObjectNode();
                ArrayNode list = body.putArray("versions");
                for (String version : versions()) {
                    ObjectNode entry = list.addObject().put("version", version);
                    entry.putArray("protocols").add("5.0");
                    String[] osArch = ProviderPlatform.current().split("_");
                    entry.putArray("platforms").addObject().put("os", osArch[0]).put("arch", osArch[1]);
                }
                json(exchange, body);
            } else if (download.matches() && Files.exists(archive(download.group(1), download.group(2) + "_" + download.group(3)))) {
                String version = download.group(1);
                String filename = archive(version, download.group(2) + "_" + download.group(3)).getFileName().toString();
                ObjectNode body = Json.MAPPER.createObjectNode().put("os", download.group(2)).put("arch", download.group(3))
                        .put("filename", filename).put("download_url", "/files/" + filename)
                        .put("shasums_url", "/files/" + shasums(version).getFileName())
                        .put("shasums_signature_url", "/files/" + signature(version).getFileName())
                        .put("shasum", Files.readString(shasums(version)).lines()
                                .filter(line -> line.endsWith("  " + filename)).findFirst().orElseThrow().split(" ")[0]);
                body.putArray("protocols").add("5.0");
                body.putObject("signing_keys").putArray("gpg_public_keys").addObject().put("ascii_armor", key.armoredPublicKey());
                json(exchange, body);
            } else if (path.startsWith("/files/") && !path.substring("/files/".length()).contains("/")
                    && Files.isRegularFile(dir.resolve(path.substring("/files/".length())))) {
                LocalHttpServers.respondFile(exchange, "application/octet-stream", dir.resolve(path.substring("/files/".length())));
            } else {
                exchange.sendResponseHeaders(404, -1);
            }
        }
    }

    private static void json(HttpExchange exchange, ObjectNode body) throws IOException {
        LocalHttpServers.respond(exchange, 200, "application/json", Json.MAPPER.writeValueAsBytes(body));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
