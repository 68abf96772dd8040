package io.outpost.gateway.outpost;

import io.outpost.events.OperatorEvent;

/**
 * An answer of {@code type} for {@code subject} came over the link and the outpost gateway did what
 * {@code outcome} says with it; {@code bytes} is its body's size (0 when it has none), {@code detail} the rest of the line.
 */
public record AnswerReceived(String type, String subject, Outcome outcome, long bytes, String detail) implements OperatorEvent {
    public enum Outcome {
        /** Now in the local git remote, registry or mirror. */
        APPLIED,
        /** The outpost already had it as fresh. */
        UNCHANGED,
        /** Held until what it needs arrives. */
        WAITING,
        /** Failed its checks; nothing of it was applied. */
        REJECTED
    }

    @Override
    public String line() {
        return "<- " + type + " " + subject + detail;
    }
}
