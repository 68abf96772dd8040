package io.outpost.brokerclient;

import org.apache.camel.Service;

/** Closes something started beside a Camel context when the context stops. */
public record CloseOnStop(AutoCloseable resource) implements Service {
    @Override
    public void start() {
        // started by its owner
    }

    @Override
    public void stop() {
        try {
            resource.close();
        } catch (Exception e) {
            throw new IllegalStateException("cannot close " + resource + ": " + e.getMessage(), e);
        }
    }
}
