package io.outpost.gateway.outpost;

import io.outpost.events.OperatorEvent;
import io.outpost.protocol.ErrorCode;

/** Upstream answered a request for {@code subject} (null when it named none) with an error; {@code took} is how long after the request, or empty. */
public record UpstreamRefused(String subject, ErrorCode code, String message, String took) implements OperatorEvent {
    @Override
    public String line() {
        return subject == null ? "<- Error: " + code + ": " + message : "<- Error for " + subject + took + ": " + code + ": " + message;
    }
}
