package io.outpost.gateway.outpost.module;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.outpost.content.module.ModuleSource;
import io.outpost.content.provider.ProviderVersion;
import io.outpost.protocol.Json;
import io.outpost.protocol.ModuleGet;
import io.outpost.protocol.http.LocalHttpServers;
import io.outpost.protocol.http.ModuleRegistryPath;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Terraform's module registry protocol, served from the outpost's {@link ModuleMirror} under
 * {@code /v1/modules/HOSTNAME/}: the worker's CLI config points each registry hostname's {@code modules.v1}
 * there with a {@code host} block, so an unchanged config's {@code module} blocks install from the outpost.
 * A module the mirror lacks answers 404 and is asked for over the link.
 */
public final class ModuleRegistryHandler implements HttpHandler {
    /** Where the protocol is served; the rest of the path is {@code HOSTNAME/NAMESPACE/NAME/SYSTEM/...}. */
    public static final String PATH = ModuleRegistryPath.PATH;
    private static final String ARCHIVE = "module.tar.gz";

    private final ModuleMirror mirror;
    private final Consumer<ModuleGet> onMiss;

    public ModuleRegistryHandler(ModuleMirror mirror, Consumer<ModuleGet> onMiss) {
        this.mirror = mirror;
        this.onMiss = onMiss;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String[] parts = exchange.getRequestURI().getPath().substring(PATH.length()).split("/");
            if (!List.of("GET", "HEAD").contains(exchange.getRequestMethod()) || parts.length < 5) {
                LocalHttpServers.respondText(exchange, 404, "not a module registry path: " + PATH + "HOSTNAME/NAMESPACE/NAME/SYSTEM/versions");
                return;
            }
            Optional<ModuleSource> module = ModuleSource.parse(parts[0] + "/" + parts[1] + "/" + parts[2] + "/" + parts[3])
                    .filter(source -> source.kind() == ModuleSource.Kind.REGISTRY);
            if (module.isEmpty()) {
                LocalHttpServers.respondText(exchange, 400, "not a registry module: " + String.join("/", List.of(parts).subList(0, 4)));
                return;
            }
            if (parts.length == 5 && parts[4].equals("versions")) {
                versions(exchange, module.get());
            } else if (parts.length == 6 && (parts[5].equals("download") || parts[5].equals(ARCHIVE))) {
                version(exchange, module.get(), parts[4], parts[5].equals(ARCHIVE));
            } else {
                LocalHttpServers.respondText(exchange, 404, "not a module registry path");
            }
        }
    }

    private void versions(HttpExchange exchange, ModuleSource module) throws IOException {
        Collection<ProviderVersion> versions = mirror.versions(module);
        if (versions.isEmpty()) {
            miss(exchange, module, "");
            return;
        }
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode listed = body.putArray("modules").addObject().putArray("versions");
        versions.forEach(version -> listed.addObject().put("version", version.toString()));
        LocalHttpServers.respond(exchange, 200, "application/json", Json.MAPPER.writeValueAsBytes(body));
    }

    private void version(HttpExchange exchange, ModuleSource module, String versionText, boolean archive) throws IOException {
        ProviderVersion version;
        try {
            version = ProviderVersion.parse(versionText);
        } catch (IllegalArgumentException e) {
            LocalHttpServers.respondText(exchange, 404, e.getMessage());
            return;
        }
        Optional<Path> file = mirror.archive(module, version);
        if (file.isEmpty()) {
            miss(exchange, module, "= " + version);
            return;
        }
        if (!archive) {
            // relative to this download URL, as the protocol allows
            exchange.getResponseHeaders().set("X-Terraform-Get", "./" + ARCHIVE);
            exchange.sendResponseHeaders(204, -1);
            return;
        }
        LocalHttpServers.respondFile(exchange, "application/gzip", file.get());
    }

    private void miss(HttpExchange exchange, ModuleSource module, String versions) throws IOException {
        onMiss.accept(new ModuleGet(module.toString(), versions));
        LocalHttpServers.respondText(exchange, 404, "this outpost's module mirror does not hold " + module + (versions.isEmpty() ? "" : " " + versions)
                + " yet; it has been asked for over the link");
    }
}
