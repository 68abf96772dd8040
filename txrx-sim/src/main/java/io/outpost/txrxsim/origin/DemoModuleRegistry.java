package io.outpost.txrxsim.origin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.outpost.protocol.Json;
import io.outpost.protocol.http.LocalHttpServers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The demo's origin module registry: Terraform's module registry protocol (service discovery, version list,
 * download with {@code X-Terraform-Get}, tar.gz archives) over HTTP on 127.0.0.1, at the same hostname as the
 * demo's provider. It serves {@link #LABEL}, which calls {@link #SUFFIX} in turn, so a config that calls the
 * one needs both.
 */
public final class DemoModuleRegistry implements AutoCloseable {
    public static final String HOSTNAME = DemoProviderRegistry.SOURCE.hostname();
    /** The module the demo's config calls. */
    public static final String LABEL = HOSTNAME + "/demo/label/terraform";
    /** The module {@link #LABEL} calls. */
    public static final String SUFFIX = HOSTNAME + "/demo/suffix/terraform";
    public static final String VERSION = "1.0.0";
    private static final Pattern API = Pattern.compile("/v1/modules/demo/(label|suffix)/terraform/(versions|([^/]+)/download)");
    private static final Map<String, Map<String, String>> FILES = Map.of(
            "label", Map.of("main.tf", """
                    # The demo's label: what the service says of itself.
                    variable "name" {
                      type = string
                    }

                    variable "release" {
                      type = number
                    }

                    module "suffix" {
                      source  = "%s"
                      version = "~> 1.0"
                    }

                    output "text" {
                      value = "${var.name} release ${var.release}${module.suffix.text}"
                    }
                    """.formatted(SUFFIX)),
            "suffix", Map.of("main.tf", """
                    output "text" {
                      value = ", delivered by Outpost"
                    }
                    """));

    private final HttpServer server;
    private final Path dir;

    private DemoModuleRegistry(HttpServer server, Path dir) {
        this.server = server;
        this.dir = dir;
    }

    /** Serves the demo's modules, their archives kept in {@code dir}. */
    public static DemoModuleRegistry start(Path dir) {
        try {
            Files.createDirectories(dir);
            for (Map.Entry<String, Map<String, String>> module : FILES.entrySet()) {
                write(dir.resolve(module.getKey() + "-" + VERSION + ".tar.gz"), module.getValue());
            }
            HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            DemoModuleRegistry registry = new DemoModuleRegistry(http, dir);
            http.createContext("/", registry::handle);
            http.start();
            return registry;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the demo module registry", e);
        }
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    private static void write(Path archive, Map<String, String> files) throws IOException {
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(Files.newOutputStream(archive)))) {
            for (Map.Entry<String, String> file : files.entrySet()) {
                byte[] bytes = file.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry entry = new TarArchiveEntry(file.getKey());
                entry.setSize(bytes.length);
                entry.setModTime(0);
                tar.putArchiveEntry(entry);
                tar.write(bytes);
                tar.closeArchiveEntry();
            }
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            Matcher api = API.matcher(path);
            if (path.equals("/.well-known/terraform.json")) {
                json(exchange, Json.MAPPER.createObjectNode().put("modules.v1", "/v1/modules/"));
            } else if (api.matches() && api.group(2).equals("versions")) {
                ObjectNode body = Json.MAPPER.createObjectNode();
                body.putArray("modules").addObject().putArray("versions").addObject().put("version", VERSION);
                json(exchange, body);
            } else if (api.matches() && VERSION.equals(api.group(3))) {
                exchange.getResponseHeaders().set("X-Terraform-Get", "/archives/" + api.group(1) + "-" + VERSION + ".tar.gz");
                exchange.sendResponseHeaders(204, -1);
            } else if (path.matches("/archives/(label|suffix)-[0-9.]+\\.tar\\.gz") && Files.exists(dir.resolve(path.substring("/archives/".length())))) {
                LocalHttpServers.respondFile(exchange, "application/octet-stream", dir.resolve(path.substring("/archives/".length())));
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
