package io.outpost.gateway.outpost;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.outpost.events.OperatorEvents;
import io.outpost.events.Sizes;
import io.outpost.link.LinkOutbox;
import io.outpost.protocol.Envelope;
import io.outpost.protocol.Messages;
import io.outpost.protocol.Ready;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * What every outpost flow needs to ask upstream and answer its workers: the outpost's name, the requests
 * in flight, the link outbox, the workers' ready events, the operator's event lines, the meters and the clock.
 *
 * @param tenant the namespace whose requests these are ({@link io.outpost.content.Tenants#OUTPOST} for the outpost's own)
 * @param requestTtl how long a request stays worth answering
 */
public record OutpostRequests(String outpost, String tenant, InFlightRequests inFlight, LinkOutbox outbox, ReadyPublisher ready,
                              OperatorEvents events, MeterRegistry meters, Clock clock, Duration requestTtl) {

    /** Measures how long applying one {@code kind} of content locally took ({@code outpost.apply}). */
    public void applied(String kind, long startNanos) {
        Timer.builder("outpost.apply").description("Time to apply what arrived to the local git remote, registry or provider mirror")
                .tag("kind", kind).register(meters).record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * True when upstream (or this outpost's own checks) refused a request for {@code key} lately for a reason asking again cannot change:
     * whoever asks about {@code subject} is told that refusal again, and nothing crosses the link.
     */
    public boolean answeredByRefusal(String key, String subject) {
        Optional<InFlightRequests.Refusal> refusal = inFlight.refusal(key);
        refusal.ifPresent(refused -> ready.publish(Ready.failed(subject, refused.code(), refused.code() + ": " + refused.message() + " (refused "
                + Sizes.duration(Duration.between(refused.at(), clock.instant())) + " ago; not asked again yet)")));
        return refusal.isPresent();
    }

    /** Sends a new request of {@code type} over the link, in this namespace. */
    public void send(String type, Object request) {
        outbox.send(Envelope.request(type, outpost, tenant, Messages.headers(request), clock.instant(), requestTtl));
    }

    /** As {@link #send(String, Object)}, with {@code body} (null for none): moved into a transfer, or copied into the message and removed. */
    public void send(String type, Object request, Path body) {
        if (body == null) {
            send(type, request);
            return;
        }
        outbox.send(Envelope.request(type, outpost, tenant, Messages.headers(request), clock.instant(), requestTtl), body);
        try {
            Files.deleteIfExists(body);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + body + " once sent", e);
        }
    }
}
