package io.outpost.gateway.outpost;

import io.outpost.gateway.git.BundleApplied;
import io.outpost.gateway.git.BundleRejectedException;
import io.outpost.gateway.git.LocalRemotes;
import io.outpost.protocol.Envelope;
import io.outpost.protocol.GitBundle;
import io.outpost.protocol.GitSync;
import io.outpost.protocol.GitUpToDate;
import io.outpost.protocol.Messages;
import io.outpost.protocol.MessageTypes;
import io.outpost.protocol.Ready;
import io.outpost.site.OperatorEvents;
import io.outpost.site.Sizes;
import io.outpost.transfer.Delivery;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outpost side of git sync: sends workers' requests over the link with the local tips as haves
 * (coalescing identical ones), applies the answers to the local remote and tells workers.
 */
public final class OutpostGitSync {
    private static final Logger LOG = LoggerFactory.getLogger(OutpostGitSync.class);

    private final InFlightRequests inFlight;
    private final ReadyPublisher ready;
    private final OperatorEvents events;
    private final OutpostRequests requests;
    private final LocalRemotes remotes;

    public OutpostGitSync(LocalRemotes remotes, OutpostRequests requests) {
        this.remotes = remotes;
        this.requests = requests;
        this.inFlight = requests.inFlight();
        this.ready = requests.ready();
        this.events = requests.events();
    }

    /** A worker asks for {@code want.repo()}; its haves are ignored, the local remote's are sent. */
    public void request(GitSync want) {
        if (!inFlight.start(InFlightRequests.gitKey(want.repo()))) {
            LOG.debug("sync of {} already in flight; coalesced", want.repo());
            return;
        }
        GitSync sync = new GitSync(want.repo(), want.refs(), remotes.tips(want.repo(), want.refs()));
        requests.send(MessageTypes.GIT_SYNC, sync);
        events.emit("-> GitSync " + sync.repo() + " sent over the link (haves: " + describe(sync.haves()) + ")");
    }

    /** An answer from upstream, its body verified against its digest. */
    public void answer(Delivery delivery) {
        Envelope message = delivery.message();
        switch (message.type()) {
            case MessageTypes.GIT_BUNDLE -> applyBundle(delivery, Messages.read(message, GitBundle.class));
            case MessageTypes.GIT_UP_TO_DATE -> {
                GitUpToDate upToDate = Messages.read(message, GitUpToDate.class);
                events.emit("<- GitUpToDate " + upToDate.repo() + after(upToDate.repo()) + ": no change");
                inFlight.succeeded(InFlightRequests.gitKey(upToDate.repo()));
                ready.publish(new Ready(upToDate.repo(), Ready.Status.UNCHANGED, upToDate.tips(), "up to date"));
            }
            default -> throw new IllegalArgumentException("not a git answer: " + message.type());
        }
    }

    private void applyBundle(Delivery delivery, GitBundle bundle) {
        long size = size(delivery);
        String took = after(bundle.repo());
        try {
            long start = System.nanoTime();
            BundleApplied applied = remotes.apply(bundle.repo(), delivery.body(), bundle.tips());
            requests.applied("bundle", start);
            events.emit("<- GitBundle " + bundle.repo() + " " + Sizes.bytes(size) + took + ": " + describe(applied.tips())
                    + (applied.forced().isEmpty() ? "" : " (forced update kept aside, not applied: " + applied.forced() + ")"));
            inFlight.succeeded(InFlightRequests.gitKey(bundle.repo()));
            ready.publish(new Ready(bundle.repo(), Ready.Status.UPDATED, applied.tips(), ""));
        } catch (BundleRejectedException e) {
            LOG.warn("rejected bundle for {}: {}", bundle.repo(), e.getMessage());
            events.emit("<- GitBundle " + bundle.repo() + " " + Sizes.bytes(size) + took + " REJECTED: " + e.getMessage());
            ready.publish(new Ready(bundle.repo(), Ready.Status.FAILED, Map.of(), "bundle rejected: " + e.getMessage()));
        } catch (RuntimeException e) {
            ready.publish(new Ready(bundle.repo(), Ready.Status.FAILED, Map.of(), "cannot apply bundle: " + e.getMessage()));
            throw e;
        }
    }

    private String after(String repo) {
        return inFlight.finish(InFlightRequests.gitKey(repo), InFlightRequests.ANSWERED).map(took -> " after " + Sizes.duration(took)).orElse("");
    }

    private static long size(Delivery delivery) {
        try {
            return delivery.body() == null ? 0 : Files.size(delivery.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String describe(Map<String, String> tips) {
        return tips.isEmpty() ? "none" : tips.entrySet().stream()
                .map(tip -> tip.getKey().replaceFirst("^refs/(heads|tags)/", "") + "@" + tip.getValue().substring(0, 7))
                .sorted().collect(Collectors.joining(", "));
    }
}
