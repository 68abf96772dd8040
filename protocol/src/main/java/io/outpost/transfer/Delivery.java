package io.outpost.transfer;

import io.outpost.protocol.Envelope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A message ready to apply, with its body on disk (null when it has none). The body has been checked
 * against its digest. Call {@link #release()} once applied.
 */
public record Delivery(Envelope message, Path body) {
    public void release() {
        if (body != null) {
            try {
                Files.deleteIfExists(body);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + body, e);
            }
        }
    }
}
