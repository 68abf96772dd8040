package io.outpost.cli.bench;

import io.outpost.content.Digests;
import io.outpost.registry.RegistryClient;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** A layer of seeded random bytes, written to a file in pieces and pushed: content for measurements and tests. */
public final class RandomLayer {
    private RandomLayer() {
    }

    /** Writes {@code size} bytes from {@code seed} under {@code scratch}, pushes them to {@code repository}, returns the digest. */
    public static String push(RegistryClient registry, String repository, long size, long seed, Path scratch) throws IOException {
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
        return digest;
    }
}
