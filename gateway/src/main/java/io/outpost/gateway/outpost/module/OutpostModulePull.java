package io.outpost.gateway.outpost.module;

import io.outpost.content.Digests;
import io.outpost.events.OperatorEvents;
import io.outpost.events.Sizes;
import io.outpost.gateway.outpost.AnswerReceived;
import io.outpost.gateway.outpost.InFlightRequests;
import io.outpost.gateway.outpost.OutpostRequests;
import io.outpost.gateway.outpost.ReadyPublisher;
import io.outpost.gateway.outpost.RequestSent;
import io.outpost.gateway.outpost.git.BundleRejectedException;
import io.outpost.protocol.MessageTypes;
import io.outpost.protocol.Messages;
import io.outpost.protocol.ModuleGet;
import io.outpost.protocol.ModulePackage;
import io.outpost.protocol.Ready;
import io.outpost.protocol.transfer.Delivery;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outpost side of module pulls: asks upstream for what the module mirror lacks, checks each arriving
 * module against its sha256 (a git module's bundle also against its tips) before the mirror holds it, and
 * tells who asked once it is held.
 */
public final class OutpostModulePull {
    private static final Logger LOG = LoggerFactory.getLogger(OutpostModulePull.class);

    private final ModuleMirror mirror;
    private final OutpostRequests requests;
    private final InFlightRequests inFlight;
    private final ReadyPublisher ready;
    private final OperatorEvents events;
    private final Map<String, ModuleGet> asked = new ConcurrentHashMap<>();
    private final Runnable stored;

    /** @param stored told after each module is stored: bundles may wait for one sent ahead unasked */
    public OutpostModulePull(ModuleMirror mirror, OutpostRequests requests, Runnable stored) {
        this.mirror = mirror;
        this.requests = requests;
        this.stored = stored;
        this.inFlight = requests.inFlight();
        this.ready = requests.ready();
        this.events = requests.events();
    }

    /** A miss at the mirror (or an operator) asks for a module; identical requests in flight coalesce. */
    public void request(ModuleGet want) {
        if (mirror.has(want)) {
            ready.publish(new Ready(want.subject(), Ready.Status.UNCHANGED, Map.of(), "already in the module mirror"));
            return;
        }
        if (requests.answeredByRefusal(InFlightRequests.moduleKey(want.subject()), want.subject())) {
            return;
        }
        if (!inFlight.start(InFlightRequests.moduleKey(want.subject()))) {
            LOG.debug("pull of module {} already in flight; coalesced", want.subject());
            return;
        }
        asked.put(want.subject(), want);
        requests.send(MessageTypes.MODULE_GET, want);
        events.emit(new RequestSent(MessageTypes.MODULE_GET, want.subject(), "sent over the link"));
    }

    /** One module of an answer: held only when its body hashes to what upstream sent. */
    public void pkg(Delivery delivery) {
        ModulePackage pkg = Messages.read(delivery.message(), ModulePackage.class);
        String sha256 = delivery.body() == null ? "none" : delivery.verifiedSha256() != null ? delivery.verifiedSha256() : Digests.sha256(delivery.body());
        if (!sha256.equals(pkg.sha256())) {
            reject(pkg, delivery, "it hashes to sha256:" + sha256 + ", not " + pkg.sha256());
            return;
        }
        try {
            mirror.put(pkg, delivery.body());
        } catch (BundleRejectedException e) {
            reject(pkg, delivery, e.getMessage());
            return;
        }
        events.emit(new AnswerReceived(MessageTypes.MODULE_PACKAGE, pkg.key(), AnswerReceived.Outcome.APPLIED, delivery.bodySize(),
                " " + Sizes.bytes(delivery.bodySize()) + " in the module mirror"));
        stored.run();
        for (ModuleGet want : List.copyOf(asked.values())) {
            if (mirror.has(want) && asked.remove(want.subject(), want)) {
                String key = InFlightRequests.moduleKey(want.subject());
                inFlight.finish(key, InFlightRequests.ANSWERED);
                inFlight.succeeded(key);
                ready.publish(new Ready(want.subject(), Ready.Status.UPDATED, Map.of(), "held in the module mirror"));
            }
        }
    }

    private void reject(ModulePackage pkg, Delivery delivery, String why) {
        LOG.warn("module {} rejected, not stored: {}", pkg.key(), why);
        events.emit(new AnswerReceived(MessageTypes.MODULE_PACKAGE, pkg.key(), AnswerReceived.Outcome.REJECTED, delivery.bodySize(), " REJECTED: " + why));
    }
}
