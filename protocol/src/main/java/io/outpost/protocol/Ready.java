package io.outpost.protocol;

import java.util.Map;
import java.util.Objects;

/**
 * Outpost-local event from the gateway to its workers: {@code subject} (a repo) is now as fresh as the
 * link could make it. Never crosses the link.
 */
public record Ready(String subject, Status status, Map<String, String> tips, String message) {
    public enum Status { UPDATED, UNCHANGED, FAILED }

    public Ready {
        Names.requireRepo(subject);
        Objects.requireNonNull(status, "status");
        tips = Map.copyOf(tips == null ? Map.of() : tips);
        message = message == null ? "" : message;
    }
}
