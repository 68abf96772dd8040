package io.outpost.gateway.outpost.git;

import io.outpost.events.OperatorEvents;
import io.outpost.events.Sizes;
import io.outpost.gateway.outpost.AnswerReceived;
import io.outpost.gateway.outpost.InFlightRequests;
import io.outpost.gateway.outpost.LocalContent;
import io.outpost.gateway.outpost.OutpostRequests;
import io.outpost.gateway.outpost.ReadyPublisher;
import io.outpost.gateway.outpost.RequestSent;
import io.outpost.protocol.Envelope;
import io.outpost.protocol.ErrorCode;
import io.outpost.protocol.GitBundle;
import io.outpost.protocol.GitSync;
import io.outpost.protocol.GitUpToDate;
import io.outpost.protocol.MessageTypes;
import io.outpost.protocol.Messages;
import io.outpost.protocol.Ready;
import io.outpost.protocol.transfer.Delivery;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outpost side of git sync: sends workers' requests over the link with the local tips, blobs and
 * provider packages as haves (coalescing identical ones), applies the answers to the local remote — a
 * bundle only once what its commits need is local — and tells workers.
 */
public final class OutpostGitSync {
    private static final Logger LOG = LoggerFactory.getLogger(OutpostGitSync.class);

    private final InFlightRequests inFlight;
    private final ReadyPublisher ready;
    private final OperatorEvents events;
    private final OutpostRequests requests;
    private final LocalRemotes remotes;
    private final LocalContent local;
    private final ParkedBundles parked;
    /** The refs of each repo a sync was sent for and not yet answered. */
    private final Map<String, List<String>> awaiting = new ConcurrentHashMap<>();

    /** @param parkedDir where bundles that arrived before what they need wait */
    public OutpostGitSync(LocalRemotes remotes, LocalContent local, Path parkedDir, OutpostRequests requests) {
        this.remotes = remotes;
        this.local = local;
        this.parked = new ParkedBundles(parkedDir);
        this.requests = requests;
        this.inFlight = requests.inFlight();
        this.ready = requests.ready();
        this.events = requests.events();
    }

    /** A worker asks for {@code want.repo()}; its haves are ignored, the local remote's are sent. */
    public void request(GitSync want) {
        if (requests.answeredByRefusal(InFlightRequests.gitKey(want.repo()), want.repo())) {
            return;
        }
        if (!inFlight.start(InFlightRequests.gitKey(want.repo()))) {
            LOG.debug("sync of {} already in flight; coalesced", want.repo());
            return;
        }
        awaiting.put(want.repo(), want.refs());
        send(want.repo(), want.refs(), "sent over the link");
    }

    /** Upstream could not add up the holdings of a sync of {@code repo}: sent again at once, with the holdings whole. */
    public void resend(String repo) {
        List<String> refs = awaiting.get(repo);
        if (refs != null) {
            send(repo, refs, "sent again with the whole holdings record, which upstream's ledger lacked");
        }
    }

    private void send(String repo, List<String> refs, String what) {
        Map<String, String> haves = remotes.haves(repo, refs);
        LocalContent.HoldingsReport holdings = local.holdings();
        requests.send(MessageTypes.GIT_SYNC, new GitSync(repo, refs, haves, holdings.holdings()), holdings.body());
        events.emit(new RequestSent(MessageTypes.GIT_SYNC, repo, what + " (haves: " + describe(haves) + "; " + holdings.described() + ")"));
    }

    /** An answer from upstream, its body verified against its digest. */
    public void answer(Delivery delivery) {
        Envelope message = delivery.message();
        switch (message.type()) {
            case MessageTypes.GIT_BUNDLE -> {
                GitBundle bundle = Messages.read(message, GitBundle.class);
                local.ledgerSeen(bundle.ledger());
                awaiting.remove(bundle.repo());
                applyBundle(delivery, bundle);
            }
            case MessageTypes.GIT_UP_TO_DATE -> {
                GitUpToDate upToDate = Messages.read(message, GitUpToDate.class);
                local.ledgerSeen(upToDate.ledger());
                awaiting.remove(upToDate.repo());
                remotes.followHead(upToDate.repo(), upToDate.head());
                events.emit(new AnswerReceived(MessageTypes.GIT_UP_TO_DATE, upToDate.repo(), AnswerReceived.Outcome.UNCHANGED, 0, after(upToDate.repo()) + ": no change"));
                inFlight.succeeded(InFlightRequests.gitKey(upToDate.repo()));
                ready.publish(new Ready(upToDate.repo(), Ready.Status.UNCHANGED, upToDate.tips(), "up to date"));
            }
            default -> throw new IllegalArgumentException("not a git answer: " + message.type());
        }
    }

    /**
     * Something became ready (or will not come): bundles that waited for it and wait for nothing else
     * are applied now.
     */
    public void onReady(Ready event) {
        applyReleased(parked.released(event));
    }

    /**
     * Provider packages or modules were stored: one sent ahead of a bundle and overtaken by it has no ready
     * event of its own (nobody asked for it), so bundles waiting for providers or modules look at the mirrors.
     */
    public void mirrorsStored() {
        applyReleased(parked.releasedWhere((bundle, subject) -> bundle.needProviders().contains(subject) && local.hasProvider(subject)
                || bundle.needModules().contains(subject) && local.hasModule(subject)));
    }

    private void applyReleased(List<ParkedBundles.Parked> released) {
        for (ParkedBundles.Parked waiting : released) {
            try {
                apply(waiting.bundle(), waiting.body(), size(waiting.body()), waiting.took());
            } finally {
                parked.done(waiting);
            }
        }
    }

    private void applyBundle(Delivery delivery, GitBundle bundle) {
        long size = size(delivery.body());
        String took = after(bundle.repo());
        Set<String> missing = new LinkedHashSet<>();
        // an image refused on its way here (it failed the outpost's checks) will not come: the bundle does not wait for it
        bundle.needImages().stream().filter(image -> !local.hasImage(image) && inFlight.refusal(InFlightRequests.imageKey(image)).isEmpty())
                .forEach(missing::add);
        bundle.needProviders().stream().filter(provider -> !local.hasProvider(provider)).forEach(missing::add);
        bundle.needModules().stream().filter(module -> !local.hasModule(module)).forEach(missing::add);
        if (!missing.isEmpty()) {
            parked.park(delivery.message().id(), bundle, delivery.body(), missing, took);
            events.emit(new AnswerReceived(MessageTypes.GIT_BUNDLE, bundle.repo(), AnswerReceived.Outcome.WAITING, size, " " + Sizes.bytes(size) + took
                    + ": waits for " + String.join(", ", missing) + " (sent ahead, still on the link) before moving " + describe(bundle.tips())));
            return;
        }
        apply(bundle, delivery.body(), size, took);
    }

    private void apply(GitBundle bundle, Path body, long size, String took) {
        int needs = bundle.needImages().size() + bundle.needProviders().size() + bundle.needModules().size();
        String with = needs == 0 ? "" : " with " + needs + " requirements already local";
        try {
            long start = System.nanoTime();
            BundleApplied applied = remotes.apply(bundle.repo(), body, bundle.tips(), bundle.head());
            requests.applied("bundle", start);
            events.emit(new AnswerReceived(MessageTypes.GIT_BUNDLE, bundle.repo(), AnswerReceived.Outcome.APPLIED, size, " " + Sizes.bytes(size) + took
                    + ": " + describe(applied.tips()) + with
                    + (applied.forced().isEmpty() ? "" : " (forced update kept aside, not applied: " + applied.forced() + ")")));
            inFlight.succeeded(InFlightRequests.gitKey(bundle.repo()));
            ready.publish(new Ready(bundle.repo(), Ready.Status.UPDATED, applied.tips(), ""));
        } catch (BundleRejectedException e) {
            LOG.warn("rejected bundle for {}: {}", bundle.repo(), e.getMessage());
            events.emit(new AnswerReceived(MessageTypes.GIT_BUNDLE, bundle.repo(), AnswerReceived.Outcome.REJECTED, size, " " + Sizes.bytes(size) + took
                    + " REJECTED: " + e.getMessage()));
            ready.publish(Ready.failed(bundle.repo(), ErrorCode.REJECTED, "bundle rejected: " + e.getMessage()));
        } catch (RuntimeException e) {
            ready.publish(Ready.failed(bundle.repo(), ErrorCode.LOCAL_UNAVAILABLE, "cannot apply bundle: " + e.getMessage()));
            throw e;
        }
    }

    private String after(String repo) {
        return inFlight.finish(InFlightRequests.gitKey(repo), InFlightRequests.ANSWERED).map(took -> " after " + Sizes.duration(took)).orElse("");
    }

    private static long size(Path body) {
        try {
            return body == null ? 0 : Files.size(body);
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
