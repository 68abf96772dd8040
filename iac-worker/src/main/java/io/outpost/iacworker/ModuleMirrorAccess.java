package io.outpost.iacworker;

import io.outpost.content.module.ModuleCalls;
import io.outpost.content.module.ModuleSource;
import io.outpost.data.SiteData;
import io.outpost.protocol.http.ModuleRegistryPath;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * How terraform at the outpost reaches the module mirror: the module registry protocol beside the provider
 * mirror (one {@code host} block per registry hostname, so an unchanged config's registry modules install from
 * the outpost) and the mirror's git config, which points git modules' URLs at the outpost's copies.
 *
 * @param providerMirror the provider mirror's base URL; the module registry is served beside it
 * @param registries the mirror's registry modules, a directory per hostname ({@link SiteData#moduleRegistries()})
 * @param gitConfig the mirror's git config ({@link SiteData#moduleGitConfig()})
 */
public record ModuleMirrorAccess(URI providerMirror, Path registries, Path gitConfig) {
    public static ModuleMirrorAccess of(URI providerMirror, SiteData outpost) {
        return new ModuleMirrorAccess(providerMirror, outpost.moduleRegistries(), outpost.moduleGitConfig());
    }

    /**
     * The module registry to name for each hostname a config in {@code dir} may call: those its {@code .tf}
     * files name, those the mirror holds (a module may call another registry's), and the public registry.
     */
    public Map<String, URI> hosts(Path dir) {
        Map<String, URI> hosts = new TreeMap<>();
        hosts.put(ModuleSource.PUBLIC_REGISTRY, registryOf(ModuleSource.PUBLIC_REGISTRY));
        if (Files.isDirectory(registries)) {
            try (Stream<Path> held = Files.list(registries)) {
                held.forEach(host -> hosts.put(host.getFileName().toString(), registryOf(host.getFileName().toString())));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + registries, e);
            }
        }
        ConfigModules.calls(dir).stream().map(ModuleCalls.Call::source).filter(source -> source.kind() == ModuleSource.Kind.REGISTRY)
                .forEach(source -> hosts.put(source.hostname(), registryOf(source.hostname())));
        return hosts;
    }

    private URI registryOf(String hostname) {
        return providerMirror.resolve(ModuleRegistryPath.PATH.substring(1) + hostname + "/");
    }
}
