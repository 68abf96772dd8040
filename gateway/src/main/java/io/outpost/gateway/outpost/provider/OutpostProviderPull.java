package io.outpost.gateway.outpost.provider;

import io.outpost.content.Digests;
import io.outpost.content.provider.PackageHashes;
import io.outpost.content.provider.ProviderVersion;
import io.outpost.events.OperatorEvents;
import io.outpost.events.Sizes;
import io.outpost.gateway.outpost.AnswerReceived;
import io.outpost.gateway.outpost.InFlightRequests;
import io.outpost.gateway.outpost.OutpostRequests;
import io.outpost.gateway.outpost.ReadyPublisher;
import io.outpost.gateway.outpost.RequestSent;
import io.outpost.protocol.MessageTypes;
import io.outpost.protocol.Messages;
import io.outpost.protocol.ProviderGet;
import io.outpost.protocol.ProviderPackage;
import io.outpost.protocol.Ready;
import io.outpost.protocol.transfer.Delivery;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outpost side of provider pulls: asks upstream for what the provider mirror lacks, checks each
 * arriving package against both of its hashes before the mirror holds it, and tells workers once a
 * version they asked for is held for every platform they asked for.
 */
public final class OutpostProviderPull {
    private static final Logger LOG = LoggerFactory.getLogger(OutpostProviderPull.class);

    private final ProviderMirror mirror;
    private final OutpostRequests requests;
    private final InFlightRequests inFlight;
    private final ReadyPublisher ready;
    private final OperatorEvents events;
    /** What was asked and not yet held, by subject. */
    private final Map<String, ProviderGet> asked = new ConcurrentHashMap<>();
    private final Runnable stored;

    /** @param stored told after each package is stored: one sent ahead unasked has no ready event, and bundles may wait for it */
    public OutpostProviderPull(ProviderMirror mirror, OutpostRequests requests, Runnable stored) {
        this.mirror = mirror;
        this.requests = requests;
        this.stored = stored;
        this.inFlight = requests.inFlight();
        this.ready = requests.ready();
        this.events = requests.events();
    }

    /** A worker (or a miss at the mirror) asks for a provider; identical requests in flight coalesce. */
    public void request(ProviderGet want) {
        Optional<ProviderVersion> held = mirror.newest(want.address(), want.constraint(), want.platforms());
        if (held.isPresent()) {
            ready.publish(new Ready(want.subject(), Ready.Status.UNCHANGED, Map.of(want.source(), held.get().toString()),
                    "already in the provider mirror"));
            return;
        }
        if (requests.answeredByRefusal(InFlightRequests.providerKey(want.subject()), want.subject())) {
            return;
        }
        if (!inFlight.start(InFlightRequests.providerKey(want.subject()))) {
            LOG.debug("pull of {} already in flight; coalesced", want.subject());
            return;
        }
        asked.put(want.subject(), want);
        send(want);
    }

    private void send(ProviderGet want) {
        requests.send(MessageTypes.PROVIDER_GET, want);
        events.emit(new RequestSent(MessageTypes.PROVIDER_GET, want.subject(), "(" + String.join(", ", want.platforms()) + ") sent over the link"));
    }

    /** One package of an answer: held only when the archive matches its sha256 and its files match its h1. */
    public void pkg(Delivery delivery) {
        ProviderPackage pkg = Messages.read(delivery.message(), ProviderPackage.class);
        Optional<String> wrong = wrongHash(pkg, delivery);
        if (wrong.isPresent()) {
            LOG.warn("provider package {} rejected, not stored: {}", pkg.filename(), wrong.get());
            events.emit(new AnswerReceived(MessageTypes.PROVIDER_PACKAGE, pkg.filename(), AnswerReceived.Outcome.REJECTED, delivery.bodySize(), " REJECTED: " + wrong.get()));
            asked.values().stream().filter(want -> want.source().equals(pkg.source())).forEach(this::send);
            return;
        }
        long start = System.nanoTime();
        mirror.put(pkg, delivery.body());
        requests.applied("provider", start);
        events.emit(new AnswerReceived(MessageTypes.PROVIDER_PACKAGE, pkg.filename(), AnswerReceived.Outcome.APPLIED, delivery.bodySize(),
                " " + Sizes.bytes(delivery.bodySize()) + " in the provider mirror"));
        stored.run();
        for (ProviderGet want : List.copyOf(asked.values())) {
            if (!want.source().equals(pkg.source())) {
                continue;
            }
            Optional<ProviderVersion> held = mirror.newest(want.address(), want.constraint(), want.platforms());
            if (held.isPresent() && asked.remove(want.subject(), want)) {
                String key = InFlightRequests.providerKey(want.subject());
                String took = inFlight.finish(key, InFlightRequests.ANSWERED).map(d -> " after " + Sizes.duration(d)).orElse("");
                inFlight.succeeded(key);
                events.emit(new AnswerReceived(MessageTypes.PROVIDER_GET, want.subject(), AnswerReceived.Outcome.APPLIED, 0,
                        took + ": version " + held.get() + " held for " + String.join(", ", want.platforms())));
                ready.publish(new Ready(want.subject(), Ready.Status.UPDATED, Map.of(want.source(), held.get().toString()), ""));
            }
        }
    }

    private static Optional<String> wrongHash(ProviderPackage pkg, Delivery delivery) {
        if (delivery.body() == null) {
            return Optional.of("it arrived without its archive");
        }
        String sha256 = delivery.verifiedSha256() != null ? delivery.verifiedSha256() : Digests.sha256(delivery.body());
        if (!sha256.equals(pkg.sha256())) {
            return Optional.of("the archive hashes to sha256:" + sha256 + ", not " + pkg.sha256());
        }
        try {
            String h1 = PackageHashes.h1(delivery.body());
            return h1.equals(pkg.h1()) ? Optional.empty() : Optional.of("its files hash to " + h1 + ", not " + pkg.h1());
        } catch (UncheckedIOException notAZip) {
            return Optional.of("the archive is not a zip: " + notAZip.getCause().getMessage());
        }
    }
}
