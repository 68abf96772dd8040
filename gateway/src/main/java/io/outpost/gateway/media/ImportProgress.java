package io.outpost.gateway.media;

import io.outpost.events.OperatorEvent;

/** What became of an archive from removable media: being verified, applied, or refused with nothing applied. */
public record ImportProgress(String archive, Stage stage, String detail) implements OperatorEvent {
    public enum Stage { VERIFYING, APPLIED, REFUSED }

    @Override
    public String line() {
        return "<= import " + archive + detail;
    }
}
