package io.outpost.txrxsim.origin;

import io.outpost.events.OperatorEvent;

/** The demo origin published release {@code number} as {@code commit}. */
public record ReleasePublished(int number, String commit) implements OperatorEvent {
    @Override
    public String line() {
        return "origin published release " + number + " (commit " + commit + ")";
    }
}
