package io.outpost.gateway.outpost.git;

import io.outpost.data.DurableFiles;
import io.outpost.protocol.GitBundle;
import io.outpost.protocol.Ready;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;
import java.util.stream.Stream;

/**
 * Bundles that arrived before what their commits need (the link carries the small bundle past the
 * blobs still in transfer): each waits, its body copied under {@code DATA/outpost/parked/}, until every
 * image and provider it needs is local, or upstream says one cannot be had. Kept in memory only: after a
 * restart the next sync brings the bundle again.
 */
final class ParkedBundles {
    /** A bundle waiting; {@code waitingFor} shrinks as what it needs arrives. */
    record Parked(String id, GitBundle bundle, Path body, Set<String> waitingFor, String took) {
    }

    /** Parked copies left by a gateway that stopped this long ago are removed: no request lives as long. */
    private static final Duration ABANDONED = Duration.ofDays(7);

    private final Path dir;
    private final Map<String, Parked> parked = new ConcurrentHashMap<>();

    /**
     * @param dir this gateway process's own directory under {@code parked/} (gateways sharing the data
     *            directory each have one); emptied, and those of gateways gone for a week removed
     */
    ParkedBundles(Path dir) {
        this.dir = dir;
        DurableFiles.deleteTree(dir);
        removeAbandoned(dir.getParent());
    }

    private static void removeAbandoned(Path parent) {
        if (!Files.isDirectory(parent)) {
            return;
        }
        FileTime before = FileTime.from(Instant.now().minus(ABANDONED));
        try (Stream<Path> others = Files.list(parent)) {
            for (Path other : others.toList()) {
                if (Files.getLastModifiedTime(other).compareTo(before) < 0) {
                    DurableFiles.deleteTree(other);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + parent, e);
        }
    }

    Parked park(String id, GitBundle bundle, Path body, Set<String> waitingFor, String took) {
        Path copy = dir.resolve(id + ".bundle");
        DurableFiles.copyAtomically(body, copy);
        Parked waiting = new Parked(id, bundle, copy, new LinkedHashSet<>(waitingFor), took);
        parked.put(id, waiting);
        return waiting;
    }

    /** The bundles {@code event} released: what they waited for arrived, or will not. */
    List<Parked> released(Ready event) {
        return releasedWhere((bundle, subject) -> subject.equals(event.subject()));
    }

    /** The bundles that wait for nothing more once what {@code here} says of a bundle's need is no longer awaited. */
    synchronized List<Parked> releasedWhere(BiPredicate<GitBundle, String> here) {
        List<Parked> ready = new ArrayList<>();
        for (Parked waiting : List.copyOf(parked.values())) {
            if (waiting.waitingFor().removeIf(subject -> here.test(waiting.bundle(), subject)) && waiting.waitingFor().isEmpty()
                    && parked.remove(waiting.id(), waiting)) {
                ready.add(waiting);
            }
        }
        return ready;
    }

    void done(Parked parkedBundle) {
        DurableFiles.deleteTree(parkedBundle.body());
    }
}
