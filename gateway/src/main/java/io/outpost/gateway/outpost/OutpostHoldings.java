package io.outpost.gateway.outpost;

import io.outpost.data.DurableFiles;
import io.outpost.gateway.holdings.HoldingsJournal;
import io.outpost.protocol.Holdings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outpost's side of {@link Holdings}: its record of what it holds ({@code holdings.log}) and how far
 * upstream's ledger is known to have seen it ({@code holdings.seen}). Each request's holdings are worked out
 * afresh from what the registry record and the mirrors hold, so the record follows them whatever changed them
 * (a blob found missing and forgotten, a mirror directory restored); only the difference is written.
 *
 * <p>When the views disagree it recovers on its own: a record that cannot be read, or one grown far past what
 * it holds, is started again under a new epoch; upstream answers a request it cannot add up (its ledger lost,
 * the outpost restored from an older backup) with {@code holdings-unknown}, after which the next request
 * carries the whole record ({@link #unknownUpstream}).
 */
public final class OutpostHoldings {
    private static final Logger LOG = LoggerFactory.getLogger(OutpostHoldings.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path file;
    private final Path seenFile;
    private HoldingsJournal journal;
    private long seen;

    public OutpostHoldings(Path file, Path seenFile) {
        this.file = file;
        this.seenFile = seenFile;
    }

    /** The holdings a request carries when the outpost holds {@code items} now. */
    public synchronized Holdings report(Set<String> items) {
        HoldingsJournal record = journal();
        List<String> changes = new ArrayList<>();
        Set<String> before = record.held();
        before.stream().filter(item -> !items.contains(item)).forEach(item -> changes.add("-" + item));
        new TreeSet<>(items).stream().filter(item -> !before.contains(item)).forEach(item -> changes.add("+" + item));
        record.append(changes);
        if (record.size() > 2L * items.size() + 1024) {
            record = restart(items, "its record of " + record.size() + " changes had grown past twice what it holds");
        }
        long since = Math.min(seen, record.size());
        return new Holdings(record.epoch(), since, record.size(), Holdings.digestOf(items), record.since(since));
    }

    /** What the record says the outpost holds, as its items ({@code blob DIGEST}, ...). */
    public synchronized Set<String> held() {
        return journal().held();
    }

    /** A file holding the changes of {@code holdings} as a request's body ({@link Holdings#writeChanges}), beside the record. */
    public Path body(Holdings holdings) {
        Path body = file.resolveSibling(file.getFileName() + "." + UUID.randomUUID() + ".gz");
        Holdings.writeChanges(holdings.changes(), body);
        return body;
    }

    /** An answer says upstream's ledger stands at {@code ledger}: later requests build on it. */
    public synchronized void seen(Holdings.Seen ledger) {
        HoldingsJournal record = journal();
        if (ledger != null && ledger.epoch().equals(record.epoch()) && ledger.upTo() <= record.size() && ledger.upTo() > seen) {
            seen = ledger.upTo();
            DurableFiles.writeAtomically(seenFile, (record.epoch() + " " + seen + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Upstream could not add up a request: the next one carries the whole record. */
    public synchronized void unknownUpstream() {
        seen = 0;
        DurableFiles.writeAtomically(seenFile, (journal().epoch() + " 0\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The record, read again when another gateway sharing the data directory wrote it; started afresh when unreadable. */
    private HoldingsJournal journal() {
        if (journal == null || journal.changedOnDisk()) {
            try {
                journal = HoldingsJournal.read(file).orElse(null);
            } catch (IllegalArgumentException unreadable) {
                LOG.warn("cannot read the outpost's holdings record: {}; starting it again (the next request tells upstream everything held)",
                        unreadable.getMessage());
                journal = null;
            }
            if (journal == null) {
                return restart(Set.of(), null);
            }
            seen = readSeen(journal.epoch());
        }
        return journal;
    }

    private HoldingsJournal restart(Set<String> items, String why) {
        if (why != null) {
            LOG.info("holdings record {} started again: {}", file, why);
        }
        byte[] epoch = new byte[8];
        RANDOM.nextBytes(epoch);
        List<String> changes = new TreeSet<>(items).stream().map(item -> "+" + item).toList();
        journal = HoldingsJournal.create(file, HexFormat.of().formatHex(epoch), changes);
        seen = 0;
        return journal;
    }

    /** How far upstream saw the record of {@code epoch}; 0 for another epoch, or when not known. */
    private long readSeen(String epoch) {
        try {
            String[] words = Files.exists(seenFile) ? Files.readString(seenFile).strip().split(" ") : new String[0];
            return words.length == 2 && words[0].equals(epoch) && words[1].matches("[0-9]{1,18}") ? Long.parseLong(words[1]) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + seenFile, e);
        }
    }
}
