package io.outpost.gateway.upstream.module;

import com.fasterxml.jackson.databind.JsonNode;
import io.outpost.content.module.ModuleSource;
import io.outpost.content.provider.ProviderVersion;
import io.outpost.gateway.upstream.TerraformRegistry;
import io.outpost.gateway.upstream.TerraformRegistryException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Terraform's module registry protocol as the upstream speaks it to an origin: the version list and where a version's files are. */
public final class ModuleRegistryClient {
    private final TerraformRegistry registry;

    public ModuleRegistryClient(URI registry) {
        this.registry = new TerraformRegistry(registry);
    }

    public List<ProviderVersion> versions(ModuleSource module) {
        List<ProviderVersion> versions = new ArrayList<>();
        for (JsonNode listed : registry.json(api(module).resolve("versions")).path("modules")) {
            for (JsonNode entry : listed.path("versions")) {
                try {
                    versions.add(ProviderVersion.parse(entry.path("version").asText()));
                } catch (IllegalArgumentException notSemver) {
                    // terraform ignores versions it cannot parse; so do we
                }
            }
        }
        return versions;
    }

    /**
     * Where the files of {@code version} are, as go-getter takes them ({@code X-Terraform-Get}): a URL made
     * absolute against the download endpoint, or a {@code git::} source.
     */
    public String location(ModuleSource module, ProviderVersion version) {
        URI download = api(module).resolve(version + "/download");
        String location = registry.header(download, "X-Terraform-Get")
                .orElseThrow(() -> new TerraformRegistryException(download + " names no X-Terraform-Get location", 502, null));
        return location.startsWith("/") || location.startsWith("./") || location.startsWith("../") ? download.resolve(location).toString() : location;
    }

    /** Streams a module's archive at {@code url} into {@code file}; returns the sha256 (hex) of what arrived. */
    public String fetch(URI url, Path file) {
        return registry.fetch(url, file);
    }

    private URI api(ModuleSource module) {
        String[] parts = module.address().split("/");
        return registry.service("modules.v1").resolve(parts[1] + "/" + parts[2] + "/" + parts[3] + "/");
    }
}
