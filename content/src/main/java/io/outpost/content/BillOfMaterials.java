package io.outpost.content;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A config's {@code outpost.yaml}: the images, providers and modules it needs that static analysis cannot see. The
 * one reader of the file, for the upstream (what to send ahead) and the worker (what to wait for):
 * <pre>
 * images:
 *   - team/batch:7                 # a repository as the registry serves it, with a tag or digest
 *   - image: team/web:1.4          # and the platforms of a multi-arch image to move (else the upstream's)
 *     platforms: [linux/amd64, linux/arm64]    # or: all
 * providers:
 *   - source: example.org/team/x   # or just the source
 *     version: "&gt;= 2.0"
 * modules:
 *   - source: team/net/aws         # a registry module, or git::URL?ref=REF
 *     version: "~&gt; 1.0"
 * </pre>
 *
 * @param images the image references as written
 * @param platforms for an image that says, its platforms as written (comma-separated, or {@code all})
 * @param providers provider source as written, to its version constraint ("" for any)
 * @param modules module source as written, to its version constraint ("" for any)
 */
public record BillOfMaterials(List<String> images, Map<String, String> providers, Map<String, String> modules, Map<String, String> platforms) {
    public static final String FILE = "outpost.yaml";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    public BillOfMaterials {
        images = List.copyOf(images);
        providers = Map.copyOf(providers);
        modules = Map.copyOf(modules);
        platforms = Map.copyOf(platforms);
    }

    public BillOfMaterials(List<String> images, Map<String, String> providers, Map<String, String> modules) {
        this(images, providers, modules, Map.of());
    }

    public static BillOfMaterials none() {
        return new BillOfMaterials(List.of(), Map.of(), Map.of());
    }

    /** The platforms {@code image} (as written) asks for, comma-separated; "" for the upstream's. */
    public String platformsOf(String image) {
        return platforms.getOrDefault(image, "");
    }

    /** The bill in {@code text}; an absent file ({@code null}) is an empty bill, a broken one an error that says what is wrong. */
    public static BillOfMaterials parse(String text) {
        if (text == null) {
            return none();
        }
        JsonNode yaml;
        try {
            yaml = YAML.readTree(text);
        } catch (IOException e) {
            throw new IllegalArgumentException(FILE + " is not valid YAML: " + e.getMessage(), e);
        }
        if (yaml == null || yaml.isMissingNode() || yaml.isNull()) {
            return none();
        }
        if (!yaml.isObject()) {
            throw new IllegalArgumentException(FILE + " must be a mapping with 'images:', 'providers:' and 'modules:' lists");
        }
        List<String> images = new ArrayList<>();
        Map<String, String> platforms = new LinkedHashMap<>();
        for (JsonNode entry : yaml.path("images")) {
            String image = entry.isObject() ? entry.path("image").asText("") : entry.asText();
            if (image.isEmpty()) {
                throw new IllegalArgumentException(FILE + ": an entry of 'images:' has no image (write '- team/web:1.4' or '- image: team/web:1.4')");
            }
            images.add(image);
            JsonNode chosen = entry.path("platforms");
            if (chosen.isArray()) {
                List<String> each = new ArrayList<>();
                chosen.forEach(platform -> each.add(platform.asText()));
                platforms.put(image, String.join(",", each));
            } else if (chosen.isTextual()) {
                platforms.put(image, chosen.asText());
            }
        }
        Map<String, String> providers = new LinkedHashMap<>();
        yaml.path("providers").forEach(entry -> providers.putIfAbsent(entry.path("source").asText(entry.asText()), entry.path("version").asText("")));
        Map<String, String> modules = new LinkedHashMap<>();
        yaml.path("modules").forEach(entry -> modules.putIfAbsent(entry.path("source").asText(entry.asText()), entry.path("version").asText("")));
        return new BillOfMaterials(images, providers, modules, platforms);
    }
}
