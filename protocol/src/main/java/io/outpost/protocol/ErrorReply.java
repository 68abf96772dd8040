package io.outpost.protocol;

import java.util.Objects;

/** Upstream could not answer a request: {@code code} says why for programs, {@code message} for people. */
public record ErrorReply(ErrorCode code, String message, String subject) {
    public ErrorReply {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }
}
