package io.outpost.cli.bench;

import io.outpost.registry.Manifest;
import io.outpost.registry.MediaTypes;
import io.outpost.registry.RandomLayer;
import io.outpost.registry.RegistryClient;
import io.outpost.transfer.Digests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** An image of one random layer of a given size, pushed to a registry, for measurements. */
final class SyntheticImage {
    private SyntheticImage() {
    }

    static Manifest push(RegistryClient registry, String repository, String tag, long layerSize, long seed, Path scratch) throws IOException {
        String layerDigest = RandomLayer.push(registry, repository, layerSize, seed, scratch);
        Path config = Files.writeString(scratch.resolve("config-" + seed), "{\"architecture\":\"amd64\",\"os\":\"linux\",\"seed\":" + seed + "}");
        String configDigest = "sha256:" + Digests.sha256(config);
        long configSize = Files.size(config);
        registry.pushBlob(repository, configDigest, config, null);
        String json = "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
                + configDigest + "\",\"size\":" + configSize + "},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\""
                + layerDigest + "\",\"size\":" + layerSize + "}]}";
        Manifest manifest = new Manifest(MediaTypes.OCI_MANIFEST, json.getBytes(StandardCharsets.UTF_8));
        registry.putManifest(repository, tag, manifest);
        return manifest;
    }
}
