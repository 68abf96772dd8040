package io.outpost.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.outpost.registry.ImageRef;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The images a config needs from the outpost's local registry: every string in the plan that names an
 * image there, plus the {@code images:} list of an optional {@code outpost.yaml} in the config (for what
 * a plan cannot show). Entries in outpost.yaml without a registry mean the local one.
 */
public final class ImageRequirements {
    public static final String FILE = "outpost.yaml";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private ImageRequirements() {
    }

    public static Set<ImageRef> of(JsonNode plan, Path config, String localRegistry) {
        Set<ImageRef> images = new LinkedHashSet<>();
        collect(plan, localRegistry + "/", images);
        Path file = config.resolve(FILE);
        if (Files.exists(file)) {
            try {
                for (JsonNode entry : YAML.readTree(file.toFile()).path("images")) {
                    ImageRef ref = ImageRef.parse(entry.asText().contains("/") && entry.asText().split("/")[0].contains(":")
                            ? entry.asText() : localRegistry + "/" + entry.asText());
                    images.add(ref.at(localRegistry));
                }
            } catch (IOException | IllegalArgumentException e) {
                throw new IllegalStateException(FILE + " of the config is not valid: " + e.getMessage(), e);
            }
        }
        return images;
    }

    private static void collect(JsonNode node, String prefix, Set<ImageRef> images) {
        if (node.isTextual() && node.asText().startsWith(prefix)) {
            try {
                images.add(ImageRef.parse(node.asText()));
            } catch (IllegalArgumentException notAnImage) {
                // a string that merely starts like one
            }
        }
        node.forEach(child -> collect(child, prefix, images));
    }
}
