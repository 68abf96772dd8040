package io.outpost.gateway.upstream.git;

import io.outpost.content.RefPatterns;
import io.outpost.content.Tenants;
import io.outpost.gateway.upstream.Allowlist;
import io.outpost.gateway.upstream.HoldingsLedger;
import io.outpost.gateway.upstream.Refusals;
import io.outpost.gateway.upstream.Spool;
import io.outpost.gateway.upstream.TenantAllowlists;
import io.outpost.link.Outbox;
import io.outpost.protocol.Envelope;
import io.outpost.protocol.ErrorCode;
import io.outpost.protocol.GitBundle;
import io.outpost.protocol.GitSync;
import io.outpost.protocol.GitUpToDate;
import io.outpost.protocol.Holdings;
import io.outpost.protocol.MessageTypes;
import io.outpost.protocol.Messages;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.transport.URIish;

/**
 * Answers an outpost's {@link GitSync}: resolves its holdings from the ledger, refreshes the origin mirror, then sends what the new commits
 * need ({@link RequirementsAhead}) and a pack of only the commits past the outpost's haves, a small
 * {@link GitUpToDate} when there are none, or an error.
 */
public final class UpstreamGitSync {
    private final Allowlist allowlist;
    private final TenantAllowlists tenants;
    private final OriginMirrors mirrors;
    private final HoldingsLedger ledger;
    private final Outbox outbox;
    private final Refusals refusals;
    private final Spool spool;
    private final RequirementsAhead ahead;
    private final Clock clock;

    public UpstreamGitSync(Allowlist allowlist, TenantAllowlists tenants, OriginMirrors mirrors, HoldingsLedger ledger, Outbox outbox, Spool spool,
                           RequirementsAhead ahead, Clock clock) {
        this.allowlist = allowlist;
        this.ledger = ledger;
        this.tenants = tenants;
        this.mirrors = mirrors;
        this.outbox = outbox;
        this.refusals = new Refusals(outbox, clock);
        this.spool = spool;
        this.ahead = ahead;
        this.clock = clock;
    }

    public void answer(Envelope request) {
        answer(request, (Path) null);
    }

    /** Answers {@code request}, whose {@code body} (null for none) may carry its holdings' changes. */
    public void answer(Envelope request, Path body) {
        GitSync asked = Messages.read(request, GitSync.class);
        resolve(request, asked, body).ifPresent(sync -> answer(request, sync, asked.holdings()));
    }

    /**
     * The sync or subscription {@code request} carries, with the outpost's holdings as its ledger resolves them
     * (their changes in {@code body} when they were too many for the headers); empty, and refused, when the ledger
     * cannot add them up: the outpost then sends its whole record.
     */
    public Optional<GitSync> resolve(Envelope request, Path body) {
        return resolve(request, Messages.read(request, GitSync.class), body);
    }

    private Optional<GitSync> resolve(Envelope request, GitSync sync, Path body) {
        return sync.holdings() == null ? Optional.of(sync)
                : ledger.resolve(request, sync.holdings(), body, sync.repo(), refusals).map(sync::withHeld);
    }

    /**
     * Where the ledger of {@code tenant}'s namespace stands, for the answer to say; null when the request's holdings
     * ({@code asked}) built on just that (the outpost knows it already).
     */
    private Holdings.Seen ledgerNews(String tenant, Holdings asked) {
        Holdings.Seen seen = ledger.seen(tenant);
        boolean known = seen != null && asked != null && asked.epoch().equals(seen.epoch()) && asked.since() == seen.upTo();
        return known ? null : seen;
    }

    /** Answers {@code request} (a subscription) that the outpost holds {@code tips} of {@code repo}, all the origin has of what it follows. */
    public void upToDate(Envelope request, String repo, Map<String, String> tips) {
        String head = mirrors.head(repo).filter(branch -> RefPatterns.anyMatches(allowlist.refsOf(repo), branch)).orElse("");
        outbox.send(request.reply(MessageTypes.GIT_UP_TO_DATE, Messages.headers(new GitUpToDate(repo, tips, head,
                ledgerNews(request.tenant(), Messages.read(request, GitSync.class).holdings()))), null, clock.instant()));
    }

    /** @param asked the holdings as the request carried them, before the ledger resolved them (null when it listed them) */
    /** Refuses {@code request} ({@link ErrorCode#FORBIDDEN}) when {@code repo} is not the requester's to have; true when it did. */
    public boolean refusedRepo(Envelope request, String repo) {
        Optional<URIish> origin = allowlist.originOf(repo);
        if (origin.isPresent() && tenants.allowsRepo(request.tenant(), repo)) {
            return false;
        }
        refusals.refuse(request, ErrorCode.FORBIDDEN, "repo '" + repo + "' is not on "
                + TenantAllowlists.whose(origin.isEmpty() ? Tenants.OUTPOST : request.tenant()), repo);
        return true;
    }

    private void answer(Envelope request, GitSync sync, Holdings asked) {
        if (refusedRepo(request, sync.repo())) {
            return;
        }
        Optional<URIish> origin = allowlist.originOf(sync.repo());
        try {
            // what the origin had when the outpost asked: a fetch begun since then (for another outpost) answers it too
            mirrors.refresh(sync.repo(), origin.get(), request.createdAt());
        } catch (OriginUnavailableException e) {
            refusals.refuse(request, ErrorCode.ORIGIN_UNAVAILABLE, e.getMessage(), sync.repo());
            return;
        }
        Map<String, String> tips = mirrors.tips(sync.repo(), sync.refs(), allowlist.refsOf(sync.repo()));
        if (tips.isEmpty()) {
            Map<String, String> unfiltered = mirrors.tips(sync.repo(), sync.refs(), RefPatterns.ALL);
            refusals.refuse(request, unfiltered.isEmpty() ? ErrorCode.NOT_FOUND : ErrorCode.FORBIDDEN, unfiltered.isEmpty()
                    ? "origin of '" + sync.repo() + "' has none of " + sync.refs()
                    : "refs " + unfiltered.keySet() + " of '" + sync.repo() + "' are not on this upstream's allowlist (it lets out "
                    + allowlist.refsOf(sync.repo()) + ")", sync.repo());
            return;
        }
        String head = mirrors.head(sync.repo()).filter(branch -> RefPatterns.anyMatches(allowlist.refsOf(sync.repo()), branch)).orElse("");
        Path pack = spool.file(request.id() + ".pack");
        try {
            Optional<Map<String, String>> changed = mirrors.writePack(sync.repo(), tips, sync.haves(), pack);
            if (changed.isEmpty()) {
                outbox.send(request.reply(MessageTypes.GIT_UP_TO_DATE,
                        Messages.headers(new GitUpToDate(sync.repo(), tips, head, ledgerNews(request.tenant(), asked))), null, clock.instant()));
            } else {
                RequirementsAhead.Needs needs = ahead.send(request, sync, Set.copyOf(changed.get().values()));
                outbox.send(request.reply(MessageTypes.GIT_BUNDLE, Messages.headers(new GitBundle(sync.repo(), changed.get(), needs.images(),
                        needs.providers(), needs.modules(), head, ledgerNews(request.tenant(), asked))), null, clock.instant()), pack);
            }
        } finally {
            spool.delete(pack);
        }
    }
}
