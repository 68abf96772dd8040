package io.outpost.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.outpost.protocol.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What a manifest refers to: for an index, its platform manifests; for an image manifest, its config
 * and layer blobs. Read from the raw bytes, which are never rewritten.
 */
public record ManifestContents(boolean index, List<Descriptor> manifests, List<Descriptor> blobs) {

    /** A content reference: digest, size, media type and, in an index, the platform. */
    public record Descriptor(String digest, long size, String mediaType, String platform) {
    }

    public static ManifestContents of(Manifest manifest) {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(manifest.bytes());
        } catch (IOException e) {
            throw new IllegalArgumentException("manifest " + manifest.digest() + " is not JSON: " + e.getMessage(), e);
        }
        String mediaType = root.path("mediaType").asText(manifest.mediaType());
        if (MediaTypes.isIndex(mediaType) || (root.has("manifests") && !root.has("layers"))) {
            List<Descriptor> manifests = new ArrayList<>();
            root.path("manifests").forEach(entry -> manifests.add(descriptor(entry)));
            return new ManifestContents(true, manifests, List.of());
        }
        List<Descriptor> blobs = new ArrayList<>();
        if (root.has("config")) {
            blobs.add(descriptor(root.get("config")));
        }
        root.path("layers").forEach(layer -> blobs.add(descriptor(layer)));
        return new ManifestContents(false, List.of(), blobs);
    }

    private static Descriptor descriptor(JsonNode node) {
        String digest = node.path("digest").asText();
        if (!digest.matches("sha256:[0-9a-f]{64}")) {
            throw new IllegalArgumentException("manifest refers to an illegal digest '" + digest + "'");
        }
        JsonNode platform = node.path("platform");
        String describedPlatform = platform.isMissingNode() ? null
                : platform.path("os").asText() + "/" + platform.path("architecture").asText()
                + (platform.hasNonNull("variant") ? "/" + platform.path("variant").asText() : "");
        return new Descriptor(digest, node.path("size").asLong(), node.path("mediaType").asText(null), describedPlatform);
    }
}
