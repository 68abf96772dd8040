package io.outpost.link;

import io.outpost.protocol.Envelope;
import java.nio.file.Path;

/**
 * Where a site's answers go: over the link ({@link LinkOutbox}) or onto removable media. Flows that
 * answer send through this and do not know which.
 */
public interface Outbox {
    void send(Envelope envelope);

    /** Sends {@code message} with {@code body}, which this outbox now owns (it is moved or copied, then deleted). */
    void send(Envelope message, Path body);

    /** As {@link #send(Envelope, Path)}, for a body whose sha256 the caller has just verified. */
    void send(Envelope message, Path body, String knownSha256);

    /** True when a message of {@code type} whose header {@code field} is {@code value} is already on its way. */
    boolean sending(String type, String field, String value);
}
