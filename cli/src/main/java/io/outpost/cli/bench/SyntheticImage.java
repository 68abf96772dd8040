package io.outpost.cli.bench;

import io.outpost.content.Digests;
import io.outpost.gateway.outpost.image.BlobInventory;
import io.outpost.registry.Manifest;
import io.outpost.registry.ManifestContents;
import io.outpost.registry.MediaTypes;
import io.outpost.registry.RegistryClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Images of seeded random layers, pushed to a registry, for measurements. */
final class SyntheticImage {
    private SyntheticImage() {
    }

    /** One layer of {@code layerSize} bytes per seed; the same seed gives the same layer, so images can share layers. */
    static Manifest push(RegistryClient registry, String repository, String tag, List<Long> layerSeeds, long layerSize, Path scratch)
            throws IOException {
        StringBuilder layers = new StringBuilder();
        for (long seed : layerSeeds) {
            String digest = RandomLayer.push(registry, repository, layerSize, seed, scratch);
            layers.append(layers.isEmpty() ? "" : ",").append("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"")
                    .append(digest).append("\",\"size\":").append(layerSize).append('}');
        }
        Path config = Files.writeString(scratch.resolve("config-" + tag), "{\"architecture\":\"amd64\",\"os\":\"linux\",\"layers\":\"" + layerSeeds + "\"}");
        String configDigest = "sha256:" + Digests.sha256(config);
        registry.pushBlob(repository, configDigest, config, null);
        String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
                + configDigest + "\",\"size\":" + Files.size(config) + "},\"layers\":[" + layers + "]}";
        Manifest manifest = new Manifest(MediaTypes.OCI_MANIFEST, json.getBytes(StandardCharsets.UTF_8));
        registry.putManifest(repository, tag, manifest);
        return manifest;
    }

    /** Copies an image into the outpost's registry and records its blobs, as if an earlier update had brought it. */
    static void copy(RegistryClient from, RegistryClient to, BlobInventory inventory, String repository, String tag, Path scratch) {
        Manifest manifest = from.manifest(repository, tag);
        for (ManifestContents.Descriptor blob : ManifestContents.of(manifest).blobs()) {
            Path file = scratch.resolve(blob.digest().replace(':', '-'));
            from.pullBlob(repository, blob.digest(), file);
            to.pushBlob(repository, blob.digest(), file, null);
            inventory.add(blob.digest(), repository);
        }
        to.putManifest(repository, tag, manifest);
    }

    /** Bytes of the blobs of {@code image} that {@code held} lacks: what an update to it must move. */
    static long newBytes(Manifest image, Manifest held) {
        List<String> have = ManifestContents.of(held).blobs().stream().map(ManifestContents.Descriptor::digest).toList();
        return ManifestContents.of(image).blobs().stream().filter(blob -> !have.contains(blob.digest())).mapToLong(ManifestContents.Descriptor::size).sum();
    }
}
