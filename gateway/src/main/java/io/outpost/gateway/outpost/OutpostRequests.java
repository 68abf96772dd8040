package io.outpost.gateway.outpost;

import io.outpost.protocol.Envelope;
import io.outpost.protocol.Messages;
import io.outpost.site.LinkOutbox;
import io.outpost.site.OperatorEvents;
import java.time.Clock;
import java.time.Duration;

/**
 * What every outpost flow needs to ask upstream and answer its workers: the outpost's name, the requests
 * in flight, the link outbox, the workers' ready events, the operator's event lines and the clock.
 *
 * @param requestTtl how long a request stays worth answering
 */
public record OutpostRequests(String outpost, InFlightRequests inFlight, LinkOutbox outbox, ReadyPublisher ready,
                              OperatorEvents events, Clock clock, Duration requestTtl) {

    /** Sends a new request of {@code type} over the link. */
    public void send(String type, Object request) {
        outbox.send(Envelope.request(type, outpost, Messages.headers(request), clock.instant(), requestTtl));
    }
}
