package io.outpost.gateway.outpost.image;

import io.outpost.content.Names;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Multi-arch indexes the local registry would not hold (it lacks their other platforms), kept verbatim by digest. */
public final class KeptIndexes {
    private final Path dir;

    public KeptIndexes(Path dir) {
        this.dir = dir;
    }

    public void keep(String digest, byte[] bytes) {
        try {
            Files.createDirectories(dir);
            Files.write(dir.resolve(Names.requireDigest(digest).replace(':', '-') + ".json"), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep index " + digest, e);
        }
    }
}
