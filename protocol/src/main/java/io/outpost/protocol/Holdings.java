package io.outpost.protocol;

import io.outpost.content.Digests;
import io.outpost.content.Names;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * What the outpost holds besides git (image blobs, provider packages, modules), as a request tells it without
 * listing it: the outpost keeps a numbered record of every change to its holdings ({@code epoch} names the
 * record), and upstream keeps a ledger of the same record as far as it has seen it. A request carries only
 * the {@code changes} after position {@code since} (where upstream's last answer said its ledger stood) up to
 * {@code upTo}, and the {@code digest} of the whole set at {@code upTo}, so upstream can check that its ledger
 * and the changes add up to what the outpost holds. Its size follows what changed, not what is held.
 *
 * <p>Up to {@link #INLINE_CHANGES} changes travel in the request's headers; more (a whole record, after the
 * ledger was lost) travel as its body, gzipped, a change per line ({@link #writeChanges}), and {@code changes} is
 * then empty while {@code upTo} is past {@code since}.
 *
 * <p>An item is {@code blob DIGEST}, {@code provider KEY} ({@link ProviderPackage#key()}) or {@code module KEY}
 * ({@link ModulePackage#key()}); a change is {@code +ITEM} or {@code -ITEM}.
 */
public record Holdings(String epoch, long since, long upTo, String digest, List<String> changes) {
    public static final String BLOB = "blob ";
    public static final String PROVIDER = "provider ";
    public static final String MODULE = "module ";
    /** The most changes a request carries in its headers; more go as its body. */
    public static final int INLINE_CHANGES = 100;
    private static final int MAX_CHANGE_CHARS = 1024;

    public Holdings {
        if (epoch == null || !epoch.matches("[0-9a-f]{16,64}")) {
            throw new IllegalArgumentException("illegal holdings epoch '" + epoch + "': expected 16 to 64 hex digits");
        }
        changes = List.copyOf(changes == null ? List.of() : changes);
        if (since < 0 || upTo < since || !changes.isEmpty() && upTo != since + changes.size()) {
            throw new IllegalArgumentException("holdings from " + since + " to " + upTo + " cannot carry " + changes.size() + " changes");
        }
        if (digest == null || !digest.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("illegal holdings digest '" + digest + "': expected 64 hex digits");
        }
        changes.forEach(Holdings::requireChange);
    }

    /** True when the changes travel as the request's body. */
    public boolean changesInBody() {
        return changes.isEmpty() && upTo > since;
    }

    /** These holdings, their changes left for the request's body. */
    public Holdings withoutChanges() {
        return new Holdings(epoch, since, upTo, digest, List.of());
    }

    /** These holdings with the changes their request's {@code body} carried ({@link #writeChanges}); a body that does not fit is refused. */
    public Holdings withChangesFrom(Path body) {
        if (body == null) {
            throw new IllegalArgumentException("the holdings' " + (upTo - since) + " changes should come as the request's body, which is missing");
        }
        List<String> carried = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(body)), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (carried.size() >= upTo - since || line.length() > MAX_CHANGE_CHARS) {
                    throw new IllegalArgumentException("the request's body carries more holdings changes than its " + (upTo - since));
                }
                carried.add(requireChange(line));
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("the request's body is not a gzipped list of holdings changes: " + e.getMessage(), e);
        }
        if (carried.size() != upTo - since) {
            throw new IllegalArgumentException("the request's body carries " + carried.size() + " holdings changes, not " + (upTo - since));
        }
        return new Holdings(epoch, since, upTo, digest, carried);
    }

    /** Writes {@code changes} as a request's body: gzipped, a change per line. */
    public static void writeChanges(List<String> changes, Path body) {
        try (Writer out = new OutputStreamWriter(new GZIPOutputStream(Files.newOutputStream(body)), StandardCharsets.UTF_8)) {
            for (String change : changes) {
                out.write(change);
                out.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write holdings changes to " + body, e);
        }
    }

    /** Where an answer says upstream's ledger of the outpost's record stands. */
    public record Seen(String epoch, long upTo) {
    }

    /** The holdings as the typed lists a request names them by. */
    public record Held(List<String> blobs, List<String> providers, List<String> modules) {
        public Held {
            blobs = List.copyOf(blobs);
            providers = List.copyOf(providers);
            modules = List.copyOf(modules);
        }

        /** The items of these holdings. */
        public Set<String> items() {
            Set<String> items = new TreeSet<>();
            blobs.forEach(blob -> items.add(BLOB + blob));
            providers.forEach(provider -> items.add(PROVIDER + provider));
            modules.forEach(module -> items.add(MODULE + module));
            return items;
        }

        /** The holdings {@code items} name. */
        public static Held of(Collection<String> items) {
            List<String> blobs = new ArrayList<>();
            List<String> providers = new ArrayList<>();
            List<String> modules = new ArrayList<>();
            for (String item : items) {
                if (item.startsWith(BLOB)) {
                    blobs.add(item.substring(BLOB.length()));
                } else if (item.startsWith(PROVIDER)) {
                    providers.add(item.substring(PROVIDER.length()));
                } else {
                    modules.add(item.substring(MODULE.length()));
                }
            }
            return new Held(blobs, providers, modules);
        }
    }

    /** The digest both sides compute of a set of items: sha256 of the items sorted, a line each. */
    public static String digestOf(Collection<String> items) {
        StringBuilder text = new StringBuilder();
        new TreeSet<>(items).forEach(item -> text.append(item).append('\n'));
        return Digests.sha256(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** The set after applying {@code changes} in order to {@code items}. */
    public static Set<String> apply(Set<String> items, List<String> changes) {
        Set<String> after = new TreeSet<>(items);
        for (String change : changes) {
            if (change.charAt(0) == '+') {
                after.add(change.substring(1));
            } else {
                after.remove(change.substring(1));
            }
        }
        return after;
    }

    /** A change as the record keeps it: {@code +ITEM} or {@code -ITEM}, the item's key checked by its kind. */
    public static String requireChange(String change) {
        if (change == null || change.length() < 2 || change.charAt(0) != '+' && change.charAt(0) != '-') {
            throw new IllegalArgumentException("illegal holdings change '" + change + "': expected +ITEM or -ITEM");
        }
        String item = change.substring(1);
        if (item.startsWith(BLOB)) {
            Names.requireDigest(item.substring(BLOB.length()));
        } else if (item.startsWith(PROVIDER)) {
            ProviderPackage.requireKey(item.substring(PROVIDER.length()));
        } else if (!item.startsWith(MODULE) || item.length() == MODULE.length() || item.contains("\n")) {
            throw new IllegalArgumentException("illegal holdings item '" + item + "': expected 'blob DIGEST', 'provider KEY' or 'module KEY'");
        }
        return change;
    }
}
