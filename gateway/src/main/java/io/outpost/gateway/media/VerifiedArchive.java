package io.outpost.gateway.media;

import io.outpost.data.DurableFiles;
import io.outpost.protocol.transfer.Delivery;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * An archive whose signature and every entry have been checked, unpacked under {@code staging}: its
 * messages in the order they are applied, each body on disk. Closing it removes what is left.
 *
 * @param from the site that signed it
 */
public record VerifiedArchive(String from, Instant createdAt, List<Delivery> deliveries, Path staging) implements AutoCloseable {
    @Override
    public void close() {
        DurableFiles.deleteTree(staging);
    }
}
