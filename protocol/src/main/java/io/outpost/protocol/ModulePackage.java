package io.outpost.protocol;

import io.outpost.content.Names;
import io.outpost.content.module.ModuleSource;
import io.outpost.content.provider.ProviderVersion;
import java.util.Map;

/**
 * One module, whose body must hash to {@code sha256}: a registry module's files as a tar.gz at
 * {@code version}, or a git module's ref as a git bundle ending at {@code tips} (its version is then the ref
 * as the call names it, {@code HEAD} for the default branch).
 */
public record ModulePackage(String source, String version, String sha256, long size, Map<String, String> tips) {
    public ModulePackage {
        String given = source;
        ModuleSource module = ModuleSource.parse(given).orElseThrow(() -> new IllegalArgumentException("'" + given + "' is not a module Outpost moves"));
        source = module.toString();
        if (module.kind() == ModuleSource.Kind.REGISTRY) {
            version = ProviderVersion.parse(version).toString();
        } else if (!version.equals(module.ref().isEmpty() ? "HEAD" : module.ref())) {
            throw new IllegalArgumentException("git module " + source + " arrives at its ref, not at '" + version + "'");
        }
        Names.requireSha256(sha256);
        if (size < 0) {
            throw new IllegalArgumentException("negative module size");
        }
        tips = Map.copyOf(tips == null ? Map.of() : tips);
        tips.forEach((ref, commit) -> {
            Names.requireRef(ref);
            Names.requireCommit(commit);
        });
        if (module.kind() == ModuleSource.Kind.GIT && tips.isEmpty()) {
            throw new IllegalArgumentException("git module " + given + " arrives without the ref its bundle ends at");
        }
    }

    public ModuleSource module() {
        return ModuleSource.parse(source).orElseThrow();
    }

    /** How a held module is named in a {@link GitSync}: {@code SOURCE@VERSION}. */
    public String key() {
        return source + "@" + version;
    }
}
