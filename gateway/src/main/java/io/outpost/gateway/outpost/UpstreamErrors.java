package io.outpost.gateway.outpost;

import io.outpost.events.OperatorEvents;
import io.outpost.events.Sizes;
import io.outpost.protocol.ErrorCode;
import io.outpost.protocol.ErrorReply;
import io.outpost.protocol.Messages;
import io.outpost.protocol.Ready;
import io.outpost.protocol.transfer.Delivery;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * An error answer from upstream ends the request it answers and tells the workers waiting on it why: the
 * namespace's own workers, or every namespace's when it answers the provider flow they share.
 */
public final class UpstreamErrors {
    private final InFlightRequests inFlight;
    private final ReadyPublisher ready;
    private final ReadyPublisher providersReady;
    private final OperatorEvents events;
    private final Consumer<String> holdingsUnknown;

    /**
     * @param holdingsUnknown what to do when upstream could not add up the holdings of a request about a subject
     *     ({@link ErrorCode#HOLDINGS_UNKNOWN}): handled here, at the outpost, by sending it again; the request stays in flight
     */
    public UpstreamErrors(InFlightRequests inFlight, ReadyPublisher ready, ReadyPublisher providersReady, OperatorEvents events,
                          Consumer<String> holdingsUnknown) {
        this.inFlight = inFlight;
        this.holdingsUnknown = holdingsUnknown;
        this.ready = ready;
        this.providersReady = providersReady;
        this.events = events;
    }

    public void answer(Delivery delivery) {
        ErrorReply error = Messages.read(delivery.message(), ErrorReply.class);
        if (error.subject() == null) {
            events.emit(new UpstreamRefused(null, error.code(), error.message(), ""));
            return;
        }
        if (error.code() == ErrorCode.HOLDINGS_UNKNOWN) {
            events.emit(new UpstreamRefused(error.subject(), error.code(), error.message() + "; sending the whole holdings record", ""));
            holdingsUnknown.accept(error.subject());
            return;
        }
        // providers and modules are one mirror for every namespace: what becomes of them is told to all
        Optional<Duration> shared = inFlight.finish(InFlightRequests.providerKey(error.subject()), InFlightRequests.ERROR)
                .or(() -> inFlight.finish(InFlightRequests.moduleKey(error.subject()), InFlightRequests.ERROR));
        Optional<String> took = shared.or(() -> inFlight.finish(InFlightRequests.gitKey(error.subject()), InFlightRequests.ERROR))
                .or(() -> inFlight.finish(InFlightRequests.imageKey(error.subject()), InFlightRequests.ERROR))
                .map(duration -> " after " + Sizes.duration(duration));
        if (error.code() == ErrorCode.ORIGIN_UNAVAILABLE) {
            InFlightRequests.keysOf(error.subject()).forEach(inFlight::originDown);
        }
        InFlightRequests.keysOf(error.subject()).forEach(key -> inFlight.refused(key, error.code(), error.message()));
        events.emit(new UpstreamRefused(error.subject(), error.code(), error.message(), took.orElse("")));
        (shared.isPresent() ? providersReady : ready).publish(Ready.failed(error.subject(), error.code(),
                error.code() + ": " + error.message()));
    }
}
