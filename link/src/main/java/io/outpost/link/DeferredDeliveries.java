package io.outpost.link;

import io.outpost.data.DurableFiles;
import io.outpost.protocol.Envelope;
import io.outpost.protocol.EnvelopeCodec;
import io.outpost.protocol.LocalUnavailableException;
import io.outpost.protocol.transfer.Delivery;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages that arrived whole but could not be applied for a local cause ({@link LocalUnavailableException}):
 * kept under {@code DATA/<site>/deferred/}, each its frame and its body, and applied again in the order they
 * arrived, at once when the next message arrives and otherwise after 1 s, doubling to 10 s (a try costs one local
 * call), until the cause clears. Nothing kept is asked for again over the link: what the site holds counts it as held.
 */
public final class DeferredDeliveries {
    private static final Logger LOG = LoggerFactory.getLogger(DeferredDeliveries.class);
    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LAST_RETRY = Duration.ofSeconds(10);

    private final Path dir;
    private final EnvelopeCodec codec;
    private final Clock clock;
    private long keptHere;
    private Duration wait = FIRST_RETRY;
    private Instant nextAttempt = Instant.MIN;
    private Instant since;
    private String cause;

    /** A kept message that failed for good when applied again: its frame and why, for the dead letters. */
    public record Failed(byte[] frame, RuntimeException reason) {
    }

    public DeferredDeliveries(Path dir, EnvelopeCodec codec, Clock clock) {
        this.dir = dir;
        this.codec = codec;
        this.clock = clock;
    }

    public synchronized boolean isEmpty() {
        return kept().isEmpty();
    }

    public synchronized int size() {
        return kept().size();
    }

    /** Keeps {@code delivery}, its body moved here, because of {@code why}. */
    public synchronized void keep(Delivery delivery, String why) {
        // named to sort in arrival order: the time, then a count for those kept within one millisecond
        Path entry = dir.resolve(String.format("%013d-%06d-%s", clock.millis(), keptHere++ % 1_000_000, delivery.message().id()));
        try {
            Files.createDirectories(entry);
            if (delivery.body() != null) {
                Files.move(delivery.body(), entry.resolve("body"), StandardCopyOption.REPLACE_EXISTING);
            }
            // the frame last: an entry is kept once it has one
            DurableFiles.writeAtomically(entry.resolve("frame"), codec.encode(withoutBody(delivery.message())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep " + delivery.message().type() + " " + delivery.message().id() + " under " + dir, e);
        }
        if (since == null) {
            LOG.warn("kept {} {} to apply when the local cause clears (retried every {}..{} s; later arrivals wait behind it): {}",
                    delivery.message().type(), delivery.message().id(), FIRST_RETRY.toSeconds(), LAST_RETRY.toSeconds(), why);
            since = clock.instant();
            cause = why;
        } else {
            LOG.debug("kept {} {}: {}", delivery.message().type(), delivery.message().id(), why);
        }
    }

    /** The value of header {@code field} of every kept message of {@code type} in {@code tenant}'s namespace. */
    public synchronized List<String> headerValues(String type, String field, String tenant) {
        List<String> values = new ArrayList<>();
        for (Path entry : kept()) {
            Envelope message = read(entry);
            if (message.type().equals(type) && message.tenant().equals(tenant) && message.headers().hasNonNull(field)) {
                values.add(message.headers().get(field).asText());
            }
        }
        return values;
    }

    /**
     * Applies what is kept, in order, until one fails again for a local cause (the rest wait behind it); with
     * {@code now} false only when its retry is due. Returns what failed for good, removed from here.
     */
    public synchronized List<Failed> retry(Consumer<Delivery> apply, boolean now) {
        List<Failed> failed = new ArrayList<>();
        List<Path> entries = kept();
        if (entries.isEmpty() || !now && clock.instant().isBefore(nextAttempt)) {
            return failed;
        }
        int applied = 0;
        for (Path entry : entries) {
            Envelope message = read(entry);
            Path body = Files.exists(entry.resolve("body")) ? entry.resolve("body") : null;
            try {
                apply.accept(new Delivery(message, body));
                applied++;
            } catch (RuntimeException e) {
                Optional<String> local = LocalUnavailableException.localCause(e);
                if (local.isPresent()) {
                    cause = local.get();
                    nextAttempt = clock.instant().plus(wait);
                    wait = wait.multipliedBy(2).compareTo(LAST_RETRY) > 0 ? LAST_RETRY : wait.multipliedBy(2);
                    return failed;
                }
                failed.add(new Failed(codec.encode(message), e));
            }
            DurableFiles.deleteTree(entry);
        }
        if (applied > 0) {
            LOG.info("applied {} kept messages: the local cause ({}) cleared after {} s", applied, cause,
                    since == null ? 0 : Duration.between(since, clock.instant()).toSeconds());
        }
        wait = FIRST_RETRY;
        nextAttempt = Instant.MIN;
        since = null;
        cause = null;
        return failed;
    }

    private List<Path> kept() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(entry -> Files.exists(entry.resolve("frame"))).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private Envelope read(Path entry) {
        try {
            return codec.decode(Files.readAllBytes(entry.resolve("frame")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + entry, e);
        }
    }

    private static Envelope withoutBody(Envelope message) {
        return new Envelope(message.id(), message.type(), message.correlationId(), message.outpost(), message.tenant(), message.createdAt(),
                message.priority(), message.expiresAt(), message.headers(), null);
    }
}
