package io.outpost.protocol;

import java.io.IOException;
import java.util.Optional;

/**
 * What arrived cannot be applied now for a cause at this site that will clear by itself — its registry not
 * answering, its disk full: the message is kept and applied again when it can, never dead-lettered, never
 * asked for again over the link.
 */
public final class LocalUnavailableException extends RuntimeException {
    public LocalUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The local cause of {@code failure}, when it has one: this exception, or a disk that is full. */
    public static Optional<String> localCause(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof LocalUnavailableException) {
                return Optional.of(cause.getMessage());
            }
            if (cause instanceof IOException && cause.getMessage() != null && cause.getMessage().contains("No space left on device")) {
                return Optional.of("the disk is full: " + cause.getMessage());
            }
        }
        return Optional.empty();
    }
}
