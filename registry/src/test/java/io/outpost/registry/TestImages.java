package io.outpost.registry;

import io.outpost.content.Digests;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Hand-made images pushed straight into a registry: exact manifest bytes, layers of random content. */
public final class TestImages {
    private final RegistryClient registry;
    private final Path scratch;

    public TestImages(RegistryClient registry, Path scratch) {
        this.registry = registry;
        this.scratch = scratch;
    }

    /** A layer blob of {@code size} bytes from {@code seed}, pushed to {@code repository}; returns its descriptor JSON. */
    public String layer(String repository, long seed, long size) throws IOException {
        Path file = scratch.resolve("layer-" + seed + "-" + size);
        Random random = new Random(seed);
        byte[] buffer = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= buffer.length) {
                random.nextBytes(buffer);
                out.write(buffer, 0, (int) Math.min(buffer.length, left));
            }
        }
        String digest = "sha256:" + Digests.sha256(file);
        registry.pushBlob(repository, digest, file, null);
        return "{\"mediaType\": \"application/vnd.oci.image.layer.v1.tar\", \"digest\": \"" + digest + "\", \"size\": " + size + "}";
    }

    public String config(String repository, String content) {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        String digest = blob(repository, bytes);
        return "{\"mediaType\": \"application/vnd.oci.image.config.v1+json\", \"digest\": \"" + digest + "\", \"size\": " + bytes.length + "}";
    }

    /**
     * An image manifest with odd whitespace (as no serialiser would write it), pushed under {@code tag};
     * returns it exactly as stored.
     */
    public Manifest image(String repository, String tag, String config, List<String> layers) {
        String json = "{\n   \"schemaVersion\" :2,\"mediaType\":  \"" + MediaTypes.OCI_MANIFEST + "\",\n\t\"config\": " + config
                + ",\n  \"layers\": [ " + String.join(" ,\n   ", layers) + " ]  }\n";
        Manifest manifest = new Manifest(MediaTypes.OCI_MANIFEST, json.getBytes(StandardCharsets.UTF_8));
        registry.putManifest(repository, manifest.digest(), manifest);
        registry.putManifest(repository, tag, manifest);
        return manifest;
    }

    /** A multi-arch index over {@code platformManifests} (os/arch), pushed under {@code tag}. */
    public Manifest index(String repository, String tag, List<Manifest> platformManifests, List<String> platforms) {
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < platformManifests.size(); i++) {
            Manifest m = platformManifests.get(i);
            String[] platform = platforms.get(i).split("/");
            entries.add("{\"mediaType\":\"" + m.mediaType() + "\",\"digest\":\"" + m.digest() + "\",\"size\":" + m.bytes().length
                    + ",\"platform\":{\"architecture\":\"" + platform[1] + "\",\"os\":\"" + platform[0] + "\"}}");
        }
        String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[" + String.join(",", entries) + "]}";
        Manifest index = new Manifest(MediaTypes.OCI_INDEX, json.getBytes(StandardCharsets.UTF_8));
        registry.putManifest(repository, tag, index);
        return index;
    }

    /**
     * An SBOM attached to {@code subject} as {@code oras attach} attaches it to a registry without the referrers API: an
     * artifact manifest whose {@code subject} is the image, and the referrers tag ({@code sha256-<hex>}) naming an index of
     * it. Returns the SBOM manifest and that index.
     */
    public List<Manifest> sbom(String repository, Manifest subject, String spdx) {
        byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
        String emptyDigest = blob(repository, empty);
        byte[] document = spdx.getBytes(StandardCharsets.UTF_8);
        String documentDigest = blob(repository, document);
        String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"artifactType\":\"application/spdx+json\","
                + "\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"digest\":\"" + emptyDigest + "\",\"size\":2},"
                + "\"layers\":[{\"mediaType\":\"application/spdx+json\",\"digest\":\"" + documentDigest + "\",\"size\":" + document.length + "}],"
                + "\"subject\":{\"mediaType\":\"" + subject.mediaType() + "\",\"digest\":\"" + subject.digest() + "\",\"size\":" + subject.bytes().length + "}}";
        Manifest sbom = new Manifest(MediaTypes.OCI_MANIFEST, json.getBytes(StandardCharsets.UTF_8));
        registry.putManifest(repository, sbom.digest(), sbom);
        String listing = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
                + "\",\"digest\":\"" + sbom.digest() + "\",\"size\":" + sbom.bytes().length + ",\"artifactType\":\"application/spdx+json\"}]}";
        Manifest index = new Manifest(MediaTypes.OCI_INDEX, listing.getBytes(StandardCharsets.UTF_8));
        registry.putManifest(repository, Referrers.tagOf(subject.digest()), index);
        return List.of(sbom, index);
    }

    private String blob(String repository, byte[] bytes) {
        try {
            Path file = Files.write(scratch.resolve("blob-" + Digests.sha256(bytes)), bytes);
            String digest = "sha256:" + Digests.sha256(bytes);
            registry.pushBlob(repository, digest, file, null);
            return digest;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
