package io.outpost.gateway.media;

import io.outpost.events.OperatorEvents;
import io.outpost.events.Sizes;
import io.outpost.protocol.transfer.Delivery;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Applies an archive from removable media at the outpost exactly as if its messages had come over the
 * link — through the same handlers, in the same order (providers and blobs first, the git ref last) —
 * and only once all of it has been verified.
 */
public final class ArchiveImport {
    private final ArchiveReader reader;
    private final Path stagingRoot;
    private final Consumer<Delivery> deliver;
    private final OperatorEvents events;

    /** @param deliver hands one message to the handler the link inbox would have used (and releases its body) */
    public ArchiveImport(ArchiveReader reader, Path stagingRoot, Consumer<Delivery> deliver, OperatorEvents events) {
        this.reader = reader;
        this.stagingRoot = stagingRoot;
        this.deliver = deliver;
        this.events = events;
    }

    /** What an import applied. */
    public record Imported(String from, int messages, long bytes) {
    }

    public synchronized Imported apply(Path archive) throws ArchiveRefusedException {
        if (!Files.isRegularFile(archive)) {
            throw new ArchiveRefusedException(archive + " is not a file");
        }
        long bytes = size(archive);
        events.emit(new ImportProgress(archive.getFileName().toString(), ImportProgress.Stage.VERIFYING, " (" + Sizes.bytes(bytes) + "): verifying"));
        try (VerifiedArchive verified = reader.read(archive, stagingRoot.resolve(UUID.randomUUID().toString()))) {
            verified.deliveries().forEach(deliver);
            events.emit(new ImportProgress(archive.getFileName().toString(), ImportProgress.Stage.APPLIED, ": applied "
                    + verified.deliveries().size() + " messages signed by '" + verified.from() + "' on " + verified.createdAt()));
            return new Imported(verified.from(), verified.deliveries().size(), bytes);
        } catch (ArchiveRefusedException e) {
            events.emit(new ImportProgress(archive.getFileName().toString(), ImportProgress.Stage.REFUSED, " REFUSED, nothing applied: " + e.getMessage()));
            throw e;
        }
    }

    private static long size(Path archive) {
        try {
            return Files.size(archive);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + archive, e);
        }
    }
}
