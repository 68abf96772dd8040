package io.outpost.gateway.outpost;

import io.outpost.events.OperatorEvent;

/** The outpost gateway sent a request of {@code type} for {@code subject} over the link; {@code detail} says what it carried. */
public record RequestSent(String type, String subject, String detail) implements OperatorEvent {
    @Override
    public String line() {
        return "-> " + type + " " + subject + " " + detail;
    }
}
