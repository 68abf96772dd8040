package io.outpost.iacworker;

import com.fasterxml.jackson.databind.JsonNode;
import io.outpost.content.BillOfMaterials;
import io.outpost.content.ImageRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The images a config needs from the outpost's local registry: every string in the plan that names an
 * image there, plus the {@code images:} list of an optional {@code outpost.yaml} in the config (for what
 * a plan cannot show). Entries in outpost.yaml without a registry mean the local one. Repositories are
 * named as the worker's namespace names them: {@code 127.0.0.1:5000/blue/demo/web} is {@code demo/web} of tenant blue. Each
 * with the platforms outpost.yaml chose for it ("" for the upstream's).
 */
public final class ImageRequirements {

    private ImageRequirements() {
    }

    /** @param localRegistry the local registry as configs name it: {@code host:port}, or {@code host:port/tenant} */
    public static Map<ImageRef, String> of(JsonNode plan, Path config, String localRegistry) {
        Set<ImageRef> planned = new LinkedHashSet<>();
        String host = localRegistry.split("/", 2)[0];
        collect(plan, localRegistry + "/", host, planned);
        Map<ImageRef, String> images = new LinkedHashMap<>();
        planned.forEach(image -> images.put(image, ""));
        Path file = config.resolve(BillOfMaterials.FILE);
        if (Files.exists(file)) {
            try {
                BillOfMaterials bill = BillOfMaterials.parse(Files.readString(file));
                for (String entry : bill.images()) {
                    images.merge(ImageRef.ofRepository(entry).at(host), bill.platformsOf(entry), (planOnly, chosen) -> chosen.isEmpty() ? planOnly : chosen);
                }
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalStateException(BillOfMaterials.FILE + " of the config is not valid: " + e.getMessage(), e);
            }
        }
        return images;
    }

    private static void collect(JsonNode node, String prefix, String host, Set<ImageRef> images) {
        if (node.isTextual() && node.asText().startsWith(prefix)) {
            try {
                images.add(ImageRef.parse(host + "/" + node.asText().substring(prefix.length())));
            } catch (IllegalArgumentException notAnImage) {
                // a string that merely starts like one
            }
        }
        node.forEach(child -> collect(child, prefix, host, images));
    }
}
