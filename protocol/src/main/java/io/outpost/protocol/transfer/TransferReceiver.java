package io.outpost.protocol.transfer;

import io.outpost.content.Digests;
import io.outpost.data.DurableFiles;
import io.outpost.protocol.Envelope;
import io.outpost.protocol.EnvelopeCodec;
import io.outpost.protocol.LocalUnavailableException;
import io.outpost.protocol.MalformedMessageException;
import io.outpost.protocol.MessageTypes;
import io.outpost.protocol.Messages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reassembles transfers on disk. Each chunk is checked against its own digest, written at its offset,
 * then marked received, so a process killed at any point resumes with the chunks it had. A finished
 * body is checked against the transfer's digest before it is handed over. Duplicates are harmless.
 *
 * <p>Layout under {@code dir}: {@code <id>/start} (the TransferStart frame), {@code <id>/body.part},
 * {@code <id>/received} (a bit per data chunk), {@code <id>/repairs/<index>} and {@code <index>.block} (repair
 * chunks not yet used, and the repair number and chunks each covers), {@code <id>/done} once handed over; {@code inline/<id>} for bodies that fit one message.
 *
 * <p>Erasure coding: once a block holds as many of its chunks (data and repair) as it has data chunks, the data
 * chunks it lacks are rebuilt from them ({@link ErasureCode}), written at their offsets and marked received, as if
 * they had come; a repair chunk is checked against its own digest like any chunk, and the whole body against the
 * transfer's.
 *
 * <p>Room: the disk under {@code dir} is shared out among unfinished transfers in the order they arrived, each
 * needing what it still lacks, {@link #RESERVE} kept aside. One that does not fit waits: its sender is asked to hold
 * it (a report with {@link TransferReport.Paused}), chunks that still arrive for it are dropped unwritten, and once
 * it fits a final report resumes it. So a full disk costs the link at most what was already on its way, never a
 * storm of resends. Every message this site sends says how much {@link #room} is left, so a sender does not start
 * what cannot fit.
 */
public final class TransferReceiver {
    private static final Logger LOG = LoggerFactory.getLogger(TransferReceiver.class);
    /** Kept free beside what transfers need, for the small files around them (starts, bitmaps, inline bodies). */
    public static final long RESERVE = 1 << 20;

    private final Path dir;
    private final EnvelopeCodec codec;
    private final ToLongFunction<Path> freeSpace;
    /** Transfers whose senders this receiver asked to hold them; each leaves only with a report that resumes it. */
    private final Map<String, TransferReport.Paused> paused = new HashMap<>();
    /** Chunks heard per transfer, counted since this receiver started (a measure of the link's loss, not of the body). */
    private final Map<String, Integer> heard = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
            return size() > 1024;
        }
    };
    private long rebuiltChunks;

    public TransferReceiver(Path dir, EnvelopeCodec codec) {
        this(dir, codec, TransferReceiver::usableSpace);
    }

    /** @param freeSpace the bytes a directory's file system has free for this process (the real one but in tests) */
    public TransferReceiver(Path dir, EnvelopeCodec codec, ToLongFunction<Path> freeSpace) {
        this.dir = dir;
        this.codec = codec;
        this.freeSpace = freeSpace;
    }

    /** Bytes a new transfer could still use: free space less the reserve and what unfinished transfers still need. */
    public synchronized long room() {
        return allocation().room();
    }

    /** Takes one message off the link; returns what became ready to apply and what to tell the sender. */
    public synchronized Received accept(Envelope envelope) {
        return switch (envelope.type()) {
            case MessageTypes.TRANSFER_START -> start(envelope);
            case MessageTypes.CHUNK -> chunk(envelope);
            case MessageTypes.REPAIR_CHUNK -> repair(envelope);
            default -> Received.delivery(inline(envelope));
        };
    }

    /** Data chunks rebuilt from repair chunks since this receiver started: each saved a resend. */
    public synchronized long rebuiltChunks() {
        return rebuiltChunks;
    }

    /**
     * Final reports due, so senders resend what is missing: for transfers whose last chunk came with gaps
     * and nothing since for {@code grace} (stragglers may still arrive), and for transfers that received
     * nothing for {@code quiet}. Time before {@code listeningSince} does not count: a receiver that was
     * down heard nothing, which says nothing about the link.
     */
    public synchronized List<TransferReport> reportsDue(Instant now, Duration grace, Duration quiet, Instant listeningSince) {
        Allocation allocation = allocation();
        List<TransferReport> reports = new ArrayList<>(resumed(allocation, now));
        Instant quietSince = now.minus(quiet);
        for (Path transfer : unfinished()) {
            String id = transfer.getFileName().toString();
            if (paused.containsKey(id) || reports.stream().anyMatch(resumed -> resumed.transferId().equals(id))) {
                continue; // held (only a resume reports it) or just resumed: one report, or its sender would send the missing chunks twice
            }
            if (allocation.waiting().containsKey(id)) {
                // a gap report would only bring chunks that cannot be stored: ask to hold it instead
                reports.add(pause(transfer, allocation.waiting().get(id)));
                continue;
            }
            Instant news = lastNews(transfer);
            boolean lastChunkIn = Files.exists(transfer.resolve("last-chunk-in"));
            boolean stalled = news.isBefore(quietSince) && listeningSince.isBefore(quietSince);
            if (stalled || (lastChunkIn && news.isBefore(now.minus(grace)))) {
                reports.add(report(transfer, true));
                DurableFiles.touch(transfer.resolve("reported"), now);
            }
        }
        return reports;
    }

    /** Final reports for held transfers that fit now: each resumes its sender. */
    private List<TransferReport> resumed(Allocation allocation, Instant now) {
        List<TransferReport> resumed = new ArrayList<>();
        long room = allocation.room();
        for (Map.Entry<String, TransferReport.Paused> held : List.copyOf(paused.entrySet())) {
            Path transfer = dir.resolve(held.getKey());
            boolean known = Files.exists(transfer.resolve("start"));
            boolean fits = known ? !allocation.waiting().containsKey(held.getKey()) : held.getValue().neededBytes() <= room;
            if (fits) {
                room -= known ? 0 : held.getValue().neededBytes();
                paused.remove(held.getKey());
                LOG.info("room for transfer {} again at {}: resumed", held.getKey(), dir);
                resumed.add(report(transfer, true));
                if (known) {
                    DurableFiles.touch(transfer.resolve("reported"), now);
                }
            }
        }
        return resumed;
    }

    /** A report asking the sender to hold the transfer for {@code why}; said in the log when it starts to wait. */
    private TransferReport pause(Path transfer, TransferReport.Paused why) {
        if (paused.put(transfer.getFileName().toString(), why) == null) {
            LOG.warn("transfer {} waits: {}; its sender holds it until there is room", transfer.getFileName(), why);
        }
        return report(transfer, true).pausedFor(why);
    }

    private Delivery inline(Envelope envelope) {
        if (envelope.bodySize() == 0) {
            return new Delivery(envelope, null);
        }
        Path body = dir.resolve("inline").resolve(envelope.id());
        DurableFiles.writeAtomically(body, envelope.body());
        return new Delivery(envelope, body);
    }

    private Received start(Envelope envelope) {
        TransferStart start = Messages.read(envelope, TransferStart.class);
        Path transfer = dir.resolve(start.transferId());
        if (Files.exists(transfer.resolve("done"))) {
            return Received.report(report(transfer, start.endOfRound()).answering(start.round()));
        }
        if (Files.exists(transfer.resolve("start"))) {
            // a checkpoint: what this receiver holds, or that it still has no room
            TransferReport.Paused waits = allocation().waiting().get(start.transferId());
            if (waits != null) {
                return Received.report(pause(transfer, waits));
            }
            if (start.endOfRound()) {
                checkpointAnswered(transfer);
            }
            return Received.report(report(transfer, paused.remove(start.transferId()) != null || start.endOfRound()).answering(start.round()));
        }
        try {
            DurableFiles.writeAtomically(transfer.resolve("start"), codec.encode(envelope));
        } catch (UncheckedIOException e) {
            if (LocalUnavailableException.localCause(e).isEmpty()) {
                throw e;
            }
            return Received.report(pause(transfer, new TransferReport.Paused(start.size(), Math.max(0, freeSpace.applyAsLong(dir)), dir.toString())));
        }
        TransferReport.Paused waits = allocation().waiting().get(start.transferId());
        if (waits != null) {
            return Received.report(pause(transfer, waits));
        }
        // held while even its start could not be stored: this report resumes it, so the timer must not again
        boolean resumes = paused.remove(start.transferId()) != null;
        rebuild(start, transfer); // repair chunks that came before the start
        Received completed = completed(start, transfer);
        if (completed.delivery().isEmpty() && (start.endOfRound() || resumes)) {
            checkpointAnswered(transfer);
            return Received.report(report(transfer, true).answering(start.round()));
        }
        return completed;
    }

    /** A final report answers the round's checkpoint: the timer that would report its gaps starts again. */
    private static void checkpointAnswered(Path transfer) {
        try {
            Files.deleteIfExists(transfer.resolve("last-chunk-in"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot update transfer " + transfer, e);
        }
        DurableFiles.touch(transfer.resolve("reported"), Instant.now());
    }

    private Received chunk(Envelope envelope) {
        Chunk chunk = Messages.read(envelope, Chunk.class);
        Path transfer = dir.resolve(chunk.transferId());
        if (!admitted(envelope, chunk, transfer)) {
            return Received.NOTHING;
        }
        BitSet received = received(transfer);
        if (!received.get(chunk.index())) {
            try {
                writeAt(transfer, chunk.offset(), envelope.body(), envelope.body().length);
            } catch (IOException e) {
                return cannotStore(envelope, chunk, transfer, e);
            }
            received.set(chunk.index());
            DurableFiles.writeAtomically(transfer.resolve("received"), received.toByteArray());
        }
        return afterChunk(transfer, chunk.index());
    }

    /** A repair chunk: kept beside the body until its block can be rebuilt. */
    private Received repair(Envelope envelope) {
        Chunk chunk = Messages.read(envelope, Chunk.class);
        Path transfer = dir.resolve(chunk.transferId());
        if (!admitted(envelope, chunk, transfer)) {
            return Received.NOTHING;
        }
        Path file = transfer.resolve("repairs").resolve(Integer.toString(chunk.index()));
        if (!Files.exists(file)) {
            try {
                Files.createDirectories(file.getParent());
                // the block first: a repair chunk's bytes count as held only once what they cover is known
                DurableFiles.writeAtomically(file.resolveSibling(chunk.index() + ".block"), RepairFiles.block(chunk));
                DurableFiles.writeAtomically(file, envelope.body());
            } catch (IOException e) {
                return cannotStore(envelope, chunk, transfer, e);
            } catch (UncheckedIOException e) {
                return cannotStore(envelope, chunk, transfer, e.getCause());
            }
        }
        return afterChunk(transfer, chunk.covers().get(chunk.covers().size() - 1).to());
    }

    /** Counts a chunk heard; false when it is to be dropped: its transfer is done, it fails its digest, or its sender was asked to hold it. */
    private boolean admitted(Envelope envelope, Chunk chunk, Path transfer) {
        heard.merge(chunk.transferId(), 1, Integer::sum);
        if (Files.exists(transfer.resolve("done"))) {
            return false;
        }
        if (!Digests.sha256(envelope.body()).equals(chunk.sha256())) {
            LOG.warn("{} {} of transfer {} failed its digest check; dropped", envelope.type(), chunk.index(), chunk.transferId());
            return false;
        }
        return !paused.containsKey(chunk.transferId()); // its sender holds the rest, and sends this one again when resumed
    }

    private Received cannotStore(Envelope envelope, Chunk chunk, Path transfer, IOException e) {
        if (LocalUnavailableException.localCause(e).isEmpty()) {
            throw new UncheckedIOException("cannot write chunk of transfer " + chunk.transferId(), e);
        }
        return Received.report(pause(transfer, new TransferReport.Paused(Math.max(envelope.bodySize(), remaining(transfer)),
                Math.max(0, freeSpace.applyAsLong(dir)), dir.toString())));
    }

    /**
     * After a chunk was stored, data chunk {@code index} or a repair chunk whose block ends at data chunk {@code index}:
     * rebuild what repair chunks can, hand over the body if it is whole.
     */
    private Received afterChunk(Path transfer, int index) {
        Path startFile = transfer.resolve("start");
        if (!Files.exists(startFile)) {
            return Received.NOTHING;
        }
        TransferStart start = startOf(startFile);
        rebuild(start, transfer);
        Received completed = completed(start, transfer);
        if (completed.delivery().isEmpty() && index == start.chunkCount() - 1) {
            // gaps remain after the body's last chunk (or the repairs of its block): report them once stragglers have had
            // their chance (see reportsDue)
            DurableFiles.touch(transfer.resolve("last-chunk-in"), Instant.now());
        }
        return completed;
    }

    /**
     * Rebuilds the data chunks each block lacks once it holds as many of its chunks as it has data chunks: one pass
     * over the chunks used, holding only those being rebuilt; then its repair chunks are no longer needed. A repair
     * chunk that names chunks the transfer does not have is dropped.
     */
    private void rebuild(TransferStart start, Path transfer) {
        Map<List<TransferReport.Range>, RepairFiles> blocks = RepairFiles.byBlock(transfer.resolve("repairs"));
        for (Map.Entry<List<TransferReport.Range>, RepairFiles> entry : blocks.entrySet()) {
            int[] members = CodedBlock.chunksOf(entry.getKey());
            if (members.length == 0 || members[members.length - 1] >= start.chunkCount()
                    || members.length + entry.getValue().highestRepair() >= ErasureCode.MAX_CHUNKS) {
                LOG.warn("repair chunks of transfer {} name chunks it does not have; dropped", start.transferId());
                entry.getValue().delete();
                continue;
            }
            rebuild(start, transfer, members, entry.getValue());
        }
    }

    private void rebuild(TransferStart start, Path transfer, int[] members, RepairFiles repairs) {
        BitSet received = received(transfer);
        List<Integer> missing = new ArrayList<>();
        List<Integer> held = new ArrayList<>();
        for (int i = 0; i < members.length; i++) {
            (received.get(members[i]) ? held : missing).add(i);
        }
        if (missing.isEmpty()) {
            repairs.delete();
            return;
        }
        List<Integer> repairsUsed = new ArrayList<>();
        for (int repair : repairs.repairs()) {
            if (held.size() + repairsUsed.size() < members.length) {
                repairsUsed.add(repair);
            }
        }
        if (held.size() + repairsUsed.size() < members.length) {
            return;
        }
        int[] symbols = java.util.stream.IntStream.concat(held.stream().mapToInt(Integer::intValue),
                repairsUsed.stream().mapToInt(repair -> members.length + repair)).toArray();
        int[][] factors = new ErasureCode(members.length, repairs.highestRepair() + 1).rebuild(symbols,
                missing.stream().mapToInt(Integer::intValue).toArray());
        int length = start.chunkLength(members[0]);
        byte[][] rebuilt = new byte[missing.size()][length];
        try {
            for (int t = 0; t < symbols.length; t++) {
                byte[] bytes = symbols[t] < members.length
                        ? TransferSender.readRange(transfer.resolve("body.part"), (long) members[symbols[t]] * start.chunkSize(),
                                start.chunkLength(members[symbols[t]]))
                        : repairs.bytes(symbols[t] - members.length);
                for (int m = 0; m < rebuilt.length; m++) {
                    ErasureCode.addScaled(factors[m][t], bytes, Math.min(bytes.length, length), rebuilt[m]);
                }
            }
            for (int m = 0; m < rebuilt.length; m++) {
                int chunk = members[missing.get(m)];
                writeAt(transfer, (long) chunk * start.chunkSize(), rebuilt[m], start.chunkLength(chunk));
                received.set(chunk);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rebuild chunks of transfer " + start.transferId(), e);
        }
        DurableFiles.writeAtomically(transfer.resolve("received"), received.toByteArray());
        repairs.delete();
        rebuiltChunks += rebuilt.length;
        LOG.debug("transfer {}: rebuilt {} lost chunk(s) from repair chunks", start.transferId(), rebuilt.length);
    }

    private static void writeAt(Path transfer, long offset, byte[] bytes, int length) throws IOException {
        Files.createDirectories(transfer);
        try (FileChannel out = FileChannel.open(transfer.resolve("body.part"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes, 0, length);
            while (buffer.hasRemaining()) {
                out.write(buffer, offset + buffer.position());
            }
            out.force(false);
        }
    }

    private Received completed(TransferStart start, Path transfer) {
        BitSet received = received(transfer);
        if (received.cardinality() < start.chunkCount() && start.size() > 0) {
            return Received.NOTHING;
        }
        Path part = transfer.resolve("body.part");
        try {
            if (start.size() == 0) {
                Files.createDirectories(transfer);
                Files.write(part, new byte[0]);
            }
            if (Files.size(part) != start.size() || !Digests.sha256(part).equals(start.sha256())) {
                LOG.warn("transfer {} finished but its body does not match the announced digest; discarded", start.transferId());
                DurableFiles.deleteTree(transfer);
                throw new MalformedMessageException("transfer " + start.transferId() + " failed its end-to-end digest check");
            }
            Path body = transfer.resolve("body");
            Files.move(part, body, StandardCopyOption.REPLACE_EXISTING);
            Files.write(transfer.resolve("done"), new byte[0]);
            Files.deleteIfExists(transfer.resolve("received"));
            DurableFiles.deleteTree(transfer.resolve("repairs"));
            Envelope startEnvelope = codec.decode(Files.readAllBytes(transfer.resolve("start")));
            Envelope carried = new Envelope(startEnvelope.id(), start.carriedType(), startEnvelope.correlationId(),
                    startEnvelope.outpost(), startEnvelope.tenant(), startEnvelope.createdAt(), startEnvelope.priority(),
                    startEnvelope.expiresAt(), start.carriedHeaders(), null);
            return new Received(Optional.of(new Delivery(carried, body, start.sha256())),
                    Optional.of(report(transfer, true)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot finish transfer " + start.transferId(), e);
        }
    }

    /** What this receiver holds of a transfer now (not a final report). */
    public synchronized TransferReport snapshot(String transferId) {
        return report(dir.resolve(transferId), false);
    }

    /** Unfinished transfers whose start has arrived, with what they hold. */
    public synchronized List<TransferProgress> inProgress() {
        List<TransferProgress> progress = new ArrayList<>();
        Map<String, TransferReport.Paused> waiting = allocation().waiting();
        for (Path transfer : unfinished()) {
            Path startFile = transfer.resolve("start");
            if (!Files.exists(startFile)) {
                continue;
            }
            TransferStart start = startOf(startFile);
            BitSet received = received(transfer);
            long bytes = Math.min(start.size(), (long) received.cardinality() * start.chunkSize());
            try {
                Instant first = Files.getLastModifiedTime(startFile).toInstant();
                Path bits = transfer.resolve("received");
                Instant last = Files.exists(bits) ? Files.getLastModifiedTime(bits).toInstant() : first;
                progress.add(new TransferProgress(start.transferId(), start.carriedType(), start.size(), bytes, start.chunkCount(),
                        start.chunkCount() - received.cardinality(), first, last, waiting.get(start.transferId())));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read transfer " + transfer, e);
            }
        }
        return progress;
    }

    /** The room left, and the transfers that wait for it: unfinished ones in the order they arrived, each given what it lacks while there is room. */
    private record Allocation(long room, Map<String, TransferReport.Paused> waiting) {
    }

    private Allocation allocation() {
        long free = Math.max(0, freeSpace.applyAsLong(dir) - RESERVE);
        Map<String, TransferReport.Paused> waiting = new LinkedHashMap<>();
        List<Path> arrived = new ArrayList<>(unfinished().stream().filter(t -> Files.exists(t.resolve("start"))).toList());
        arrived.sort(Comparator.comparing(t -> modified(t.resolve("start"))));
        for (Path transfer : arrived) {
            long rest = remaining(transfer);
            if (rest <= free) {
                free -= rest;
            } else {
                waiting.put(transfer.getFileName().toString(), new TransferReport.Paused(rest, free, dir.toString()));
            }
        }
        return new Allocation(free, waiting);
    }

    /** Bytes of the transfer not yet received (chunks at the full chunk size: the last one's slack is an overestimate that costs nothing). */
    private long remaining(Path transfer) {
        Path startFile = transfer.resolve("start");
        if (!Files.exists(startFile)) {
            return 0;
        }
        TransferStart start = startOf(startFile);
        return Math.max(0, start.size() - Math.min(start.size(), (long) received(transfer).cardinality() * start.chunkSize()));
    }

    /** What the file system under {@code dir} (or its nearest existing parent) has free; unbounded when it cannot say. */
    static long usableSpace(Path dir) {
        Path existing = dir.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        try {
            return existing == null ? Long.MAX_VALUE : Files.getFileStore(existing).getUsableSpace();
        } catch (IOException e) {
            LOG.debug("cannot tell the free space at {}: {}", dir, e.getMessage());
            return Long.MAX_VALUE;
        }
    }

    private static Instant modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toInstant();
        } catch (IOException e) {
            return Instant.EPOCH;
        }
    }

    private TransferReport report(Path transfer, boolean isFinal) {
        String id = transfer.getFileName().toString();
        int chunksHeard = heard.getOrDefault(id, 0);
        if (Files.exists(transfer.resolve("done"))) {
            return TransferReport.completed(id).hearing(chunksHeard);
        }
        return TransferReport.of(id, Files.exists(transfer.resolve("start")), isFinal, received(transfer)).hearing(chunksHeard);
    }

    private List<Path> unfinished() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var children = Files.list(dir)) {
            return children.filter(Files::isDirectory).filter(t -> !t.getFileName().toString().equals("inline"))
                    .filter(t -> !Files.exists(t.resolve("done"))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list transfers in " + dir, e);
        }
    }

    /** When the transfer last received something or was last reported on. */
    private static Instant lastNews(Path transfer) {
        Instant latest = Instant.EPOCH;
        for (String name : List.of("start", "received", "reported")) {
            Path file = transfer.resolve(name);
            try {
                if (Files.exists(file)) {
                    Instant modified = Files.getLastModifiedTime(file).toInstant();
                    latest = modified.isAfter(latest) ? modified : latest;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return latest;
    }

    private TransferStart startOf(Path startFile) {
        try {
            return Messages.read(codec.decode(Files.readAllBytes(startFile)), TransferStart.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + startFile, e);
        }
    }

    private static BitSet received(Path transfer) {
        Path bits = transfer.resolve("received");
        try {
            return Files.exists(bits) ? BitSet.valueOf(Files.readAllBytes(bits)) : new BitSet();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + bits, e);
        }
    }
}
