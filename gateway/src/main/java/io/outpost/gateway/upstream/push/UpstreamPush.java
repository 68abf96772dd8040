package io.outpost.gateway.upstream.push;

import io.outpost.content.Tenants;
import io.outpost.gateway.upstream.Allowlist;
import io.outpost.gateway.upstream.TenantAllowlists;
import io.outpost.gateway.upstream.git.OriginMirrors;
import io.outpost.gateway.upstream.git.OriginUnavailableException;
import io.outpost.gateway.upstream.git.UpstreamGitSync;
import io.outpost.protocol.Envelope;
import io.outpost.protocol.GitSync;
import io.outpost.protocol.MessageTypes;
import io.outpost.protocol.Messages;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Push mode upstream: records the outpost's subscriptions and, whenever a subscribed repo's origin has
 * moved past what the outpost acknowledged (and past what was already pushed), sends the update unasked —
 * the same package a sync would get: what the new commits need, then the bundle. The outpost acknowledges each update
 * it applies (it subscribes again with its new haves); an update unacknowledged for {@code patience} while nothing is
 * left on its way (no transfer still being sent) was lost with its acknowledgement or before it, and is pushed again:
 * a bundle small enough to travel inside its message has no transfer of its own to recover it.
 */
public final class UpstreamPush {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamPush.class);

    private final String outpost;
    private final Subscriptions subscriptions;
    private final Allowlist allowlist;
    private final TenantAllowlists tenants;
    private final OriginMirrors mirrors;
    private final UpstreamGitSync gitSync;
    private final Duration patience;
    private final IntSupplier transfersInFlight;
    private final Clock clock;

    /**
     * @param patience how long a push may go unacknowledged before it is pushed again
     * @param transfersInFlight transfers still being sent to the outpost: while any is, a push may still be arriving
     */
    public UpstreamPush(String outpost, Subscriptions subscriptions, Allowlist allowlist, TenantAllowlists tenants, OriginMirrors mirrors, UpstreamGitSync gitSync,
                 Duration patience, IntSupplier transfersInFlight, Clock clock) {
        this.outpost = outpost;
        this.subscriptions = subscriptions;
        this.allowlist = allowlist;
        this.tenants = tenants;
        this.mirrors = mirrors;
        this.gitSync = gitSync;
        this.patience = patience;
        this.transfersInFlight = transfersInFlight;
        this.clock = clock;
    }

    /**
     * A Subscribe (or its repeat, the acknowledgement of an update), its holdings' changes in {@code body} when they were many:
     * record it, and push at once if the origin is ahead; if it is not, say so ({@code GitUpToDate}), which tells the outpost
     * its subscription arrived (one lost on the link is sent again). A repo the outpost may not have is refused, not recorded.
     */
    public void subscribe(Envelope message, Path body) {
        Optional<GitSync> state = gitSync.resolve(message, body);
        if (state.isEmpty() || gitSync.refusedRepo(message, state.get().repo())) {
            return;
        }
        subscriptions.acknowledge(message.tenant(), state.get());
        LOG.info("outpost {} ({}) subscribed to {} at {}", outpost, Tenants.describe(message.tenant()), state.get().repo(), state.get().haves());
        subscriptions.list().stream()
                .filter(subscription -> subscription.tenant().equals(message.tenant()) && subscription.acknowledged().repo().equals(state.get().repo()))
                .findFirst().flatMap(subscription -> pushIfBehind(subscription, message.createdAt()))
                .ifPresent(tips -> gitSync.upToDate(message, state.get().repo(), tips));
    }

    /**
     * Pushes every subscribed repo whose origin moved since the last push or acknowledgement, as the origin was at
     * {@code asOf} or later: the fleet's poll, whose one fetch per repo serves every outpost subscribed to it.
     */
    public synchronized void poll(Instant asOf) {
        subscriptions.list().forEach(subscription -> pushIfBehind(subscription, asOf));
    }

    /** Pushes {@code subscription}'s repo if its origin moved past what was pushed or acknowledged; the tips when it had not, empty when it pushed or could not look. */
    private synchronized Optional<Map<String, String>> pushIfBehind(Subscriptions.Subscription subscription, Instant asOf) {
        GitSync acknowledged = subscription.acknowledged();
        if (allowlist.originOf(acknowledged.repo()).isEmpty() || !tenants.allowsRepo(subscription.tenant(), acknowledged.repo())) {
            return Optional.empty();
        }
        try {
            mirrors.refresh(acknowledged.repo(), allowlist.originOf(acknowledged.repo()).get(), asOf);
        } catch (OriginUnavailableException e) {
            LOG.warn("cannot poll the origin of {}: {}", acknowledged.repo(), e.getMessage());
            return Optional.empty();
        }
        Map<String, String> tips = mirrors.tips(acknowledged.repo(), acknowledged.refs(), allowlist.refsOf(acknowledged.repo()));
        boolean again = !subscription.pushed().isEmpty() && unacknowledged(subscription);
        Map<String, String> known = subscription.pushed().isEmpty() || again ? acknowledged.haves() : subscription.pushed();
        // the outpost's haves may name more refs than it follows: only the followed ones matter
        if (tips.isEmpty() || tips.entrySet().stream().allMatch(tip -> tip.getValue().equals(known.get(tip.getKey())))) {
            return tips.isEmpty() ? Optional.empty() : Optional.of(tips);
        }
        if (again) {
            LOG.warn("outpost {} ({}) has not acknowledged the push of {} ({}) sent {} ago: pushed again", outpost, Tenants.describe(subscription.tenant()),
                    acknowledged.repo(), subscription.pushed(), Duration.between(subscription.pushedAt(), clock.instant()).toSeconds() + " s");
        }
        // the push answers a request the outpost never had to send, as of the poll: the fetch that found the origin moved answers it
        Envelope unasked = Envelope.request(MessageTypes.GIT_SYNC, outpost, subscription.tenant(), Messages.headers(acknowledged), asOf,
                Envelope.DEFAULT_REQUEST_TTL);
        gitSync.answer(unasked);
        subscriptions.pushed(subscription, tips, clock.instant());
        LOG.info("pushed {} to outpost {} ({}): {}", acknowledged.repo(), outpost, Tenants.describe(subscription.tenant()), tips);
        return Optional.empty();
    }

    /** True when what was pushed has gone unacknowledged past patience, and nothing more of it is on its way. */
    private boolean unacknowledged(Subscriptions.Subscription subscription) {
        return subscription.pushedAt() != null && subscription.pushedAt().plus(patience).isBefore(clock.instant()) && transfersInFlight.getAsInt() == 0;
    }
}
