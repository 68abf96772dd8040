package io.outpost.protocol.transfer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** Bodies of random bytes for transfer tests, the same for the same seed. */
final class RandomBodies {
    private RandomBodies() {
    }

    static Path write(Path dir, int size, long seed) throws IOException {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        Path file = dir.resolve("body-" + seed);
        Files.write(file, bytes);
        return file;
    }
}
