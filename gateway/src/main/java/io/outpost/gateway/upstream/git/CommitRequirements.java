package io.outpost.gateway.upstream.git;

import io.outpost.content.BillOfMaterials;
import io.outpost.content.ImageRef;
import io.outpost.content.module.ModuleCalls;
import io.outpost.content.module.ModuleSource;
import io.outpost.content.provider.LockFile;
import io.outpost.content.provider.ProviderAddress;
import io.outpost.gateway.upstream.image.ImageOrigins;
import io.outpost.gateway.upstream.provider.ProviderOrigins;
import io.outpost.protocol.ImagePull;
import io.outpost.protocol.ModuleGet;
import io.outpost.protocol.ProviderGet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a commit of Terraform config needs at the outpost, found without running terraform: image
 * references in string literals of its {@code .tf} files (only those this upstream may serve), the
 * {@code required_providers} of its {@code .tf} files, pinned where its {@code .terraform.lock.hcl} locks
 * them, the registry and git modules its {@code module} blocks call, and the {@code images:},
 * {@code providers:} and {@code modules:} of its {@code outpost.yaml}, the bill of materials for what static
 * analysis cannot see.
 */
public record CommitRequirements(Set<ImagePull> images, Set<ProviderGet> providers, Set<ModuleGet> modules) {
    private static final String DEFAULT_REGISTRY = "registry.terraform.io";
    private static final Logger LOG = LoggerFactory.getLogger(CommitRequirements.class);
    private static final Pattern IMAGE = Pattern.compile(
            "\"((?:[a-z0-9.-]+:[0-9]{1,5}/)?[a-z0-9][a-z0-9._/-]*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[0-9a-f]{64}))\"");
    private static final Pattern SOURCE_THEN_VERSION = Pattern.compile(
            "source\\s*=\\s*\"([^\"]+)\"(?:[^}]*?version\\s*=\\s*\"([^\"]*)\")?", Pattern.DOTALL);

    /** Which files of a commit are read. */
    public static boolean reads(String path) {
        return path.endsWith(".tf") || path.equals(BillOfMaterials.FILE) || path.equals(LockFile.NAME);
    }

    /**
     * @param files the commit's files that {@link #reads} accepts, by path
     * @param images the image allowlist: references to repositories it does not serve are not requirements
     * @param providers the provider allowlist
     */
    public static CommitRequirements of(Map<String, String> files, ImageOrigins images, ProviderOrigins providers) {
        Set<ImagePull> pulls = new LinkedHashSet<>();
        Map<String, String> constraints = new LinkedHashMap<>();
        Set<ModuleGet> modules = new LinkedHashSet<>();
        files.forEach((path, text) -> {
            if (path.endsWith(".tf")) {
                ModuleCalls.in(text).forEach(call -> modules.add(new ModuleGet(call.source().toString(), call.versions())));
                Matcher image = IMAGE.matcher(text);
                while (image.find()) {
                    imageOf(image.group(1), "").filter(pull -> images.serves(pull.repository())).ifPresent(pulls::add);
                }
                int block = text.indexOf("required_providers");
                Matcher provider = SOURCE_THEN_VERSION.matcher(block < 0 ? "" : text.substring(block));
                while (provider.find()) {
                    sourceOf(provider.group(1)).ifPresent(source -> constraints.merge(source, provider.group(2) == null ? "" : provider.group(2),
                            (a, b) -> a.isEmpty() ? b : b.isEmpty() ? a : a + ", " + b));
                }
            }
        });
        BillOfMaterials bill;
        try {
            bill = BillOfMaterials.parse(files.get(BillOfMaterials.FILE));
        } catch (IllegalArgumentException broken) {
            // the worker fails its run on the same file with this reason; ahead of the bundle go what the .tf files name
            LOG.warn("{}: sending ahead only what the .tf files name", broken.getMessage());
            bill = BillOfMaterials.none();
        }
        BillOfMaterials chosen = bill;
        bill.images().forEach(entry -> imageOf(entry, chosen.platformsOf(entry)).ifPresent(pulls::add));
        bill.modules().forEach((source, versions) -> ModuleSource.parse(source).ifPresent(module -> {
            try {
                modules.add(new ModuleGet(module.toString(), versions));
            } catch (IllegalArgumentException notAConstraint) {
                // terraform get will say what is wrong with it
            }
        }));
        bill.providers().forEach((entry, version) -> sourceOf(entry).ifPresent(source -> constraints.putIfAbsent(source, version)));
        Map<String, String> locked = LockFile.versions(files.get(LockFile.NAME));
        Set<ProviderGet> gets = new LinkedHashSet<>();
        constraints.forEach((source, versions) -> {
            if (providers.allows(ProviderAddress.parse(source))) {
                try {
                    gets.add(new ProviderGet(source, locked.containsKey(source) ? "= " + locked.get(source) : versions, List.of()));
                } catch (IllegalArgumentException notAConstraint) {
                    // terraform init will say what is wrong with it
                }
            }
        });
        return new CommitRequirements(Set.copyOf(pulls), Set.copyOf(gets), Set.copyOf(modules));
    }

    /** @param platforms as the config chose them, "" for the upstream's */
    private static Optional<ImagePull> imageOf(String text, String platforms) {
        try {
            return Optional.of(ImagePull.of(ImageRef.ofRepository(text), platforms));
        } catch (IllegalArgumentException notAnImage) {
            return Optional.empty();
        }
    }

    /** Terraform's short form {@code NAMESPACE/TYPE} means the public registry. */
    private static Optional<String> sourceOf(String text) {
        try {
            return Optional.of(ProviderAddress.parse(text.split("/").length == 2 ? DEFAULT_REGISTRY + "/" + text : text).toString());
        } catch (IllegalArgumentException notASource) {
            return Optional.empty();
        }
    }
}
