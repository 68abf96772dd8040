package io.outpost.protocol.transfer;

import io.outpost.protocol.Envelope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A message ready to apply, with its body on disk (null when it has none). A body that came as a
 * transfer has been checked against the transfer's sha256, given as {@code verifiedSha256} (null for
 * bodies that came inside their message). Call {@link #release()} once applied.
 */
public record Delivery(Envelope message, Path body, String verifiedSha256) {
    public Delivery(Envelope message, Path body) {
        this(message, body, null);
    }

    /** The body's size in bytes; 0 when there is none. */
    public long bodySize() {
        try {
            return body == null ? 0 : Files.size(body);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + body, e);
        }
    }

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
