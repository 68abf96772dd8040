package io.outpost.protocol;

import java.util.Objects;

/**
 * Upstream could not answer a request. {@code code} is stable for scripts ({@code forbidden},
 * {@code not-found}, {@code origin-unavailable}, {@code bad-request}, {@code expired},
 * {@code checksum-mismatch}); {@code message} is for people.
 */
public record ErrorReply(String code, String message, String subject) {
    public static final String FORBIDDEN = "forbidden";
    public static final String NOT_FOUND = "not-found";
    public static final String ORIGIN_UNAVAILABLE = "origin-unavailable";
    public static final String BAD_REQUEST = "bad-request";
    public static final String EXPIRED = "expired";
    /** What the origin served does not match what it published about it. */
    public static final String CHECKSUM_MISMATCH = "checksum-mismatch";

    public ErrorReply {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }
}
