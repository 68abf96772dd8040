package io.outpost.gateway.outpost;

import io.outpost.protocol.Ready;

/** Tells the outpost's workers that something became ready (or failed to). */
@FunctionalInterface
public interface ReadyPublisher {
    void publish(Ready ready);
}
