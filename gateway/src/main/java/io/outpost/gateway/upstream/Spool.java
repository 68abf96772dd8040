package io.outpost.gateway.upstream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's scratch files ({@code DATA/upstream/spool/}): what an answer takes from an origin waits here
 * until the link outbox has its own copy, then goes.
 */
public final class Spool {
    private static final Logger LOG = LoggerFactory.getLogger(Spool.class);

    private final Path dir;

    public Spool(Path dir) {
        this.dir = dir;
    }

    /** A path for a new spool file named {@code name}; the directory exists. */
    public Path file(String name) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create spool " + dir, e);
        }
        return dir.resolve(name);
    }

    /** Deletes a spool file; a failure is logged, since the answer itself went out. */
    public void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("cannot delete spool file {}: {}", file, e.getMessage());
        }
    }
}
