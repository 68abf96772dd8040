package io.outpost.gateway.upstream;

import io.outpost.content.Tenants;
import io.outpost.gateway.holdings.HoldingsJournal;
import io.outpost.protocol.Envelope;
import io.outpost.protocol.ErrorCode;
import io.outpost.protocol.Holdings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upstream's ledger of what each namespace of its outpost holds: a copy of the outpost's {@link Holdings}
 * record as far as requests have carried it, under {@code DATA/upstream/ledgers/<namespace>.log}. A request's
 * changes are added to the ledger at the position the request builds on, and the result must match the
 * request's digest; the request is then answered as if it had listed everything. One that does not add up
 * (no ledger of its epoch, a ledger behind where it builds on, a digest that differs) is
 * {@link HoldingsUnknownException}: the outpost sends its whole record next, and the ledger starts from that.
 */
public final class HoldingsLedger {
    private static final Logger LOG = LoggerFactory.getLogger(HoldingsLedger.class);

    private final Path dir;
    private final Map<String, HoldingsJournal> byNamespace = new HashMap<>();

    public HoldingsLedger(Path dir) {
        this.dir = dir;
    }

    /**
     * The holdings {@code request} carries ({@code holdings}, their changes in {@code body} when they were too many
     * for its headers), resolved from the ledger of its namespace; empty, and refused with {@code subject}, when the
     * ledger cannot add them up ({@link ErrorCode#HOLDINGS_UNKNOWN}: the outpost then sends its whole record) or
     * they make no sense.
     */
    public Optional<Holdings.Held> resolve(Envelope request, Holdings holdings, Path body, String subject, Refusals refusals) {
        try {
            return Optional.of(resolve(request.tenant(), holdings.changesInBody() ? holdings.withChangesFrom(body) : holdings));
        } catch (HoldingsUnknownException e) {
            refusals.refuse(request, ErrorCode.HOLDINGS_UNKNOWN, e.getMessage(), subject);
        } catch (IllegalArgumentException e) {
            refusals.refuse(request, ErrorCode.BAD_REQUEST, e.getMessage(), subject);
        }
        return Optional.empty();
    }

    /** What {@code holdings} of {@code tenant}'s namespace add up to with the ledger; throws {@link HoldingsUnknownException}. */
    public synchronized Holdings.Held resolve(String tenant, Holdings holdings) {
        Optional<HoldingsJournal> ledger = ledger(tenant).filter(known -> known.epoch().equals(holdings.epoch()));
        if (holdings.since() > 0 && ledger.isEmpty()) {
            throw new HoldingsUnknownException("upstream keeps no ledger of holdings record " + holdings.epoch() + " (lost, or never sent whole)");
        }
        if (ledger.isPresent() && holdings.since() > ledger.get().size()) {
            throw new HoldingsUnknownException("upstream's ledger of " + holdings.epoch() + " stands at " + ledger.get().size()
                    + ", behind the " + holdings.since() + " the request builds on");
        }
        Set<String> held = Holdings.apply(ledger.map(known -> known.heldAt(holdings.since())).orElse(Set.of()), holdings.changes());
        if (!Holdings.digestOf(held).equals(holdings.digest())) {
            if (holdings.since() == 0) {
                throw new IllegalArgumentException("the holdings record " + holdings.epoch() + " does not add up to its own digest");
            }
            throw new HoldingsUnknownException("upstream's ledger and the request's changes do not add up to what the outpost holds");
        }
        record(tenant, ledger, holdings);
        return Holdings.Held.of(held);
    }

    /** The image blobs the outpost's own namespace holds, as far as its requests have told (none known: none). */
    public synchronized Set<String> blobs() {
        return Set.copyOf(Holdings.Held.of(ledger(Tenants.OUTPOST).map(HoldingsJournal::held).orElse(Set.of())).blobs());
    }

    /** Where the ledger of {@code tenant}'s namespace stands, for answers to say; null when there is none. */
    public synchronized Holdings.Seen seen(String tenant) {
        return ledger(tenant).map(known -> new Holdings.Seen(known.epoch(), known.size())).orElse(null);
    }

    private void record(String tenant, Optional<HoldingsJournal> ledger, Holdings holdings) {
        if (ledger.isEmpty()) {
            byNamespace.put(tenant, HoldingsJournal.create(file(tenant), holdings.epoch(), holdings.changes()));
            return;
        }
        HoldingsJournal known = ledger.get();
        List<String> after = known.since(holdings.since());
        if (after.size() >= holdings.changes().size() && after.subList(0, holdings.changes().size()).equals(holdings.changes())) {
            return; // a repeat, or an older request overtaken by a newer one: the ledger already holds its changes
        }
        HoldingsJournal kept = known.size() == holdings.since() ? known : known.truncate(holdings.since());
        kept.append(holdings.changes());
        byNamespace.put(tenant, kept);
    }

    /** The ledger of {@code tenant}'s namespace; one whose file an operator removed is gone (the outpost then sends its whole record). */
    private Optional<HoldingsJournal> ledger(String tenant) {
        HoldingsJournal known = byNamespace.get(tenant);
        if (known != null && !Files.exists(file(tenant))) {
            byNamespace.remove(tenant);
            known = null;
        }
        if (known == null) {
            try {
                known = HoldingsJournal.read(file(tenant)).orElse(null);
            } catch (IllegalArgumentException unreadable) {
                LOG.warn("cannot read a holdings ledger: {}; the outpost is asked for its whole record", unreadable.getMessage());
            }
            if (known != null) {
                byNamespace.put(tenant, known);
            }
        }
        return Optional.ofNullable(known);
    }

    private Path file(String tenant) {
        return dir.resolve((Tenants.OUTPOST.equals(tenant) ? "outpost" : "tenant-" + tenant) + ".log");
    }
}
