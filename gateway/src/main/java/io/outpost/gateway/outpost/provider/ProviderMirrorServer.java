package io.outpost.gateway.outpost.provider;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.outpost.broker.InternalCa;
import io.outpost.content.provider.ProviderAddress;
import io.outpost.content.provider.ProviderVersion;
import io.outpost.content.provider.VersionConstraint;
import io.outpost.gateway.outpost.module.ModuleRegistryHandler;
import io.outpost.protocol.Json;
import io.outpost.protocol.ProviderGet;
import io.outpost.protocol.http.LocalHttpServers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Terraform's provider network mirror protocol over HTTPS on 127.0.0.1, served from the outpost's
 * {@link ProviderMirror} with a certificate from the outpost's internal CA, and beside it the module registry
 * protocol ({@link ModuleRegistryHandler}). What the mirror lacks answers
 * 404 and is asked for over the link, so the next init finds it.
 */
public final class ProviderMirrorServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProviderMirrorServer.class);

    private final ProviderMirror mirror;
    private final Consumer<ProviderGet> onMiss;
    private LocalHttpServers.Started server;

    private ProviderMirrorServer(ProviderMirror mirror, Consumer<ProviderGet> onMiss) {
        this.mirror = mirror;
        this.onMiss = onMiss;
    }

    /**
     * @param port 0 for a free one
     * @param onMiss asks the link for what a request found missing
     * @param modules the module registry protocol, served beside the mirror under {@link ModuleRegistryHandler#PATH}
     */
    public static ProviderMirrorServer start(ProviderMirror mirror, InternalCa ca, int port, Consumer<ProviderGet> onMiss, ModuleRegistryHandler modules) {
        ProviderMirrorServer server = new ProviderMirrorServer(mirror, onMiss);
        server.server = LocalHttpServers.https("provider-mirror", "the provider mirror (--provider-mirror-port)", new InetSocketAddress("127.0.0.1", port),
                ca.serverContext(List.of("127.0.0.1", "localhost")), server::handle);
        server.server.server().createContext(ModuleRegistryHandler.PATH, modules);
        return server;
    }

    /** The mirror's base URL, as terraform's {@code network_mirror} takes it. */
    public URI url() {
        return URI.create("https://127.0.0.1:" + server.port() + "/");
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String[] parts = exchange.getRequestURI().getPath().substring(1).split("/");
            if (!List.of("GET", "HEAD").contains(exchange.getRequestMethod()) || parts.length != 4) {
                LocalHttpServers.respondText(exchange, 404, "not a provider mirror path");
                return;
            }
            ProviderAddress provider;
            try {
                provider = new ProviderAddress(parts[0], parts[1], parts[2]);
            } catch (IllegalArgumentException e) {
                LocalHttpServers.respondText(exchange, 400, e.getMessage());
                return;
            }
            String file = parts[3];
            if (file.equals("index.json")) {
                index(exchange, provider);
            } else if (file.endsWith(".json")) {
                version(exchange, provider, file.substring(0, file.length() - ".json".length()));
            } else {
                archive(exchange, provider, file);
            }
        } catch (RuntimeException e) {
            LOG.warn("provider mirror failed on {}: {}", exchange.getRequestURI(), e.toString());
            throw e;
        }
    }

    private void index(HttpExchange exchange, ProviderAddress provider) throws IOException {
        Collection<ProviderVersion> versions = mirror.versions(provider);
        if (versions.isEmpty()) {
            miss(exchange, provider, VersionConstraint.parse(""), "(any version)");
            return;
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        ObjectNode byVersion = body.putObject("versions");
        versions.forEach(version -> byVersion.putObject(version.toString()));
        sendJson(exchange, body);
    }

    private void version(HttpExchange exchange, ProviderAddress provider, String versionText) throws IOException {
        ProviderVersion version;
        try {
            version = ProviderVersion.parse(versionText);
        } catch (IllegalArgumentException e) {
            LocalHttpServers.respondText(exchange, 404, e.getMessage());
            return;
        }
        Map<String, ProviderMirror.Archive> archives = mirror.archives(provider, version);
        if (archives.isEmpty()) {
            miss(exchange, provider, VersionConstraint.exactly(version), version.toString());
            return;
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        ObjectNode byPlatform = body.putObject("archives");
        archives.forEach((platform, archive) -> {
            ObjectNode entry = byPlatform.putObject(platform);
            entry.put("url", archive.filename());
            archive.hashes().forEach(entry.putArray("hashes")::add);
        });
        sendJson(exchange, body);
    }

    private void archive(HttpExchange exchange, ProviderAddress provider, String filename) throws IOException {
        Optional<Path> file = mirror.archive(provider, filename);
        if (file.isEmpty()) {
            LocalHttpServers.respondText(exchange, 404, "this outpost's mirror does not hold " + filename);
            return;
        }
        LocalHttpServers.respondFile(exchange, "application/zip", file.get());
    }

    private void miss(HttpExchange exchange, ProviderAddress provider, VersionConstraint versions, String what) throws IOException {
        ProviderGet pull = new ProviderGet(provider.toString(), versions.toString(), List.of());
        onMiss.accept(pull);
        LocalHttpServers.respondText(exchange, 404, "this outpost's mirror does not hold " + provider + " " + what
                + " yet; it has been asked for over the link");
    }

    private static void sendJson(HttpExchange exchange, ObjectNode body) throws IOException {
        LocalHttpServers.respond(exchange, 200, "application/json", Json.MAPPER.writeValueAsBytes(body));
    }

    @Override
    public void close() {
        server.close();
    }
}
