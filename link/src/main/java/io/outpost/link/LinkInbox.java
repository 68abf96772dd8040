package io.outpost.link;

import io.outpost.link.trust.FrameRejectedException;
import io.outpost.link.trust.FrameSignatures;
import io.outpost.protocol.Envelope;
import io.outpost.protocol.EnvelopeCodec;
import io.outpost.protocol.LocalUnavailableException;
import io.outpost.protocol.MalformedMessageException;
import io.outpost.protocol.MessageTypes;
import io.outpost.protocol.Messages;
import io.outpost.protocol.transfer.Delivery;
import io.outpost.protocol.transfer.Received;
import io.outpost.protocol.transfer.TransferReceiver;
import io.outpost.protocol.transfer.TransferReport;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Everything the link delivers to a site: its signature checked, decoded, reassembled from chunks when it came as a
 * transfer, verified, then handed to the handler for its type. Transfer reports flow both ways: this
 * site's about what it received, the other site's about what this site sent. A type the site does not
 * handle is a malformed message.
 */
public final class LinkInbox {
    private final String site;
    private final String outpost;
    private final EnvelopeCodec codec;
    private final TransferReceiver transfers;
    private final LinkOutbox outbox;
    private final Clock clock;
    private final Map<String, Consumer<Delivery>> handlers;
    private final Instant listeningSince;
    private final FrameSignatures signatures;
    private final RejectedFrames rejected;
    private final DeferredDeliveries deferred;
    private final Consumer<DeferredDeliveries.Failed> deadLetters;
    private final MessageCopies copies = new MessageCopies();
    private final Runnable heard;

    /**
     * @param outpost the outpost whose conversation this is: a frame addressed otherwise is refused
     * @param heard told of each frame accepted from the other site
     */
    LinkInbox(String site, String outpost, EnvelopeCodec codec, FrameSignatures signatures, RejectedFrames rejected, TransferReceiver transfers, LinkOutbox outbox,
              Clock clock, Map<String, Consumer<Delivery>> handlers, DeferredDeliveries deferred, Consumer<DeferredDeliveries.Failed> deadLetters,
              Runnable heard) {
        this.heard = heard;
        this.deferred = deferred;
        this.deadLetters = deadLetters;
        this.site = site;
        this.outpost = outpost;
        this.codec = codec;
        this.signatures = signatures;
        this.rejected = rejected;
        this.transfers = transfers;
        this.outbox = outbox;
        this.clock = clock;
        this.handlers = Map.copyOf(handlers);
        this.listeningSince = clock.instant();
    }

    /**
     * A signed frame from the link: refused (counted; dead-lettered with the reason, or dropped when it is
     * a replay) unless a trusted site signed it, recently, it was not accepted before, and it is addressed as this link's outpost.
     */
    public void accept(byte[] signedFrame) {
        FrameSignatures.Opened opened;
        try {
            opened = signatures.open(signedFrame);
        } catch (FrameRejectedException e) {
            rejected.refuse(e);
            return;
        }
        Envelope envelope = codec.decode(opened.frame());
        if (!outpost.equals(envelope.outpost())) {
            rejected.refuse(new FrameRejectedException(FrameRejectedException.Reason.MISADDRESSED, "a " + envelope.type() + " signed by '"
                    + opened.signer() + "' is addressed as outpost '" + envelope.outpost() + "': an outpost speaks only for itself"));
            return;
        }
        if (copies.alreadyApplied(envelope)) {
            signatures.accepted(opened);
            return;
        }
        if (envelope.room() != null) {
            outbox.receiverRoom(envelope.room());
        }
        if (MessageTypes.TRANSFER_REPORT.equals(envelope.type())) {
            outbox.resend(Messages.read(envelope, TransferReport.class));
        } else {
            Received received = store(envelope);
            received.delivery().ifPresent(this::deliver);
            received.report().ifPresent(outbox::report);
        }
        copies.applied(envelope);
        signatures.accepted(opened);
        heard.run();
    }

    /** What the transfer layer makes of {@code envelope}; one it cannot store for a local cause is said to be so, to be offered again. */
    private Received store(Envelope envelope) {
        try {
            return transfers.accept(envelope);
        } catch (RuntimeException e) {
            Optional<String> local = LocalUnavailableException.localCause(e);
            if (local.isPresent()) {
                throw new LocalUnavailableException("cannot store a " + envelope.type() + " that arrived: " + local.get(), e);
            }
            throw e;
        }
    }

    /** Reports on incoming transfers with gaps that stragglers did not fill, or that went quiet. */
    public void reportGaps(TransferTiming timing) {
        transfers.reportsDue(clock.instant(), timing.reportGrace(), timing.receiverQuiet(), listeningSince).forEach(outbox::report);
    }

    /**
     * Applies one message through the handler for its type, then releases its body: what arrived over the
     * link, or from removable media (one at a time, whichever way they came). One that cannot be applied for a
     * local cause is kept ({@link DeferredDeliveries}), and so is every later one while any is kept, so that
     * they are applied in the order they came; each arrival first tries what is kept.
     */
    public synchronized void deliver(Delivery delivery) {
        retry(true);
        if (!deferred.isEmpty()) {
            deferred.keep(delivery, "behind " + deferred.size() + " kept messages");
            return;
        }
        try {
            apply(delivery);
        } catch (RuntimeException e) {
            Optional<String> local = LocalUnavailableException.localCause(e);
            if (local.isEmpty()) {
                delivery.release();
                throw e;
            }
            deferred.keep(delivery, local.get());
            return;
        }
        delivery.release();
    }

    /** Applies what is kept when its retry is due. */
    public synchronized void retryDeferred() {
        retry(false);
    }

    private void retry(boolean now) {
        deferred.retry(this::apply, now).forEach(deadLetters);
    }

    private void apply(Delivery delivery) {
        Consumer<Delivery> handler = handlers.get(delivery.message().type());
        if (handler == null) {
            throw new MalformedMessageException("the " + site + " site does not handle " + delivery.message().type() + " messages");
        }
        handler.accept(delivery);
    }
}
