package io.outpost.protocol;

import java.util.Map;
import java.util.Objects;

/**
 * Outpost-local event from the gateway to its workers: {@code subject} (a git repo, or an image as
 * repository:tag or repository@digest) is now as fresh as the link could make it, or could not be
 * had, and then {@code error} says why. Never crosses the link.
 */
public record Ready(String subject, Status status, Map<String, String> tips, String message, ErrorCode error) {
    public enum Status { UPDATED, UNCHANGED, FAILED }

    /** What became ready (or stayed as it was). */
    public Ready(String subject, Status status, Map<String, String> tips, String message) {
        this(subject, status, tips, message, null);
    }

    /** {@code subject} could not be had, for {@code error}. */
    public static Ready failed(String subject, ErrorCode error, String message) {
        return new Ready(subject, Status.FAILED, Map.of(), message, error);
    }

    /** The subject of the event that confirms an operator's subscription to {@code repo}. */
    public static String subscriptionOf(String repo) {
        return "subscription:" + repo;
    }

    public Ready {
        if (subject == null || subject.isBlank() || subject.length() > 400) {
            throw new IllegalArgumentException("a ready event needs a subject");
        }
        Objects.requireNonNull(status, "status");
        if ((status == Status.FAILED) != (error != null)) {
            throw new IllegalArgumentException("a ready event has an error code exactly when it failed");
        }
        tips = Map.copyOf(tips == null ? Map.of() : tips);
        message = message == null ? "" : message;
    }
}
