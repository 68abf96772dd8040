package io.outpost.protocol.transfer;

import io.outpost.data.DurableFiles;
import io.outpost.protocol.Envelope;
import io.outpost.protocol.EnvelopeCodec;
import io.outpost.protocol.Messages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Transfers this site sent and the receiver has not yet reported complete, kept on disk
 * ({@code <id>/start}, {@code <id>/body}) so chunks can be sent again after a loss or a restart. The
 * receiver's reports say what it holds; only the rest is resent. A transfer with no news for a while
 * gets its start sent again, which asks the receiver for a report (a checkpoint, as in LTP).
 *
 * <p>A receiver short of room asks to hold a transfer ({@link TransferReport#paused()}): nothing more of it is sent
 * ({@code <id>/held} says why) until a report without that resumes it; its checkpoints go {@link #HELD_CHECKPOINTS}
 * times less often, so a lost resume costs a while, not the transfer. Each message from the receiver says how much
 * room it has left ({@link Envelope#room()}); a transfer larger than that, less what was started since, starts held:
 * its start alone goes, as a checkpoint, and the receiver's answer sends the chunks or holds it.
 *
 * <p>Each round of chunks closes with {@link #CLOSING_CHECKPOINTS} copies of its checkpoint ({@code <id>/round} counts
 * the rounds), each answered by a report naming the round: a lost checkpoint or report costs nothing unless every copy
 * is lost, and the second report of a round already answered changes nothing (LTP's lost-signalling remedies, as
 * Alessi et al. measure them for lossy space channels).
 *
 * <p>Erasure coding ({@link RepairPolicy}, decided per round): a round's chunks go in blocks ({@link CodedBlock}), each
 * block's repair chunks right after its last data chunk, coded as the data chunks are read, so the sender holds at
 * most one block's repair chunks. A block that loses no more than its repairs is rebuilt by the receiver with no
 * round trip; what is lost beyond that is resent in the next round, coded again. Repair chunks are numbered past the
 * data chunks, on from {@code <id>/repairs} (the count made so far). The reports that answer a round say how many
 * chunks the receiver heard, which {@link RepairPolicy#measured()} learns the link's loss from.
 */
public final class OutgoingTransfers {
    private static final Logger LOG = LoggerFactory.getLogger(OutgoingTransfers.class);
    static final int HELD_CHECKPOINTS = 4;
    /** Copies of the checkpoint that closes a round: a checkpoint is some 300 bytes, a timer waits several round trips. */
    static final int CLOSING_CHECKPOINTS = 2;

    /** Carried message types by transfer id, as read from their starts (a transfer's never changes). */
    private final Map<String, String> carried = new ConcurrentHashMap<>();
    private final Path dir;
    private final EnvelopeCodec codec;
    private final TransferSender sender;
    private final RepairPolicy coding;
    /** Per transfer: chunks sent, and the sent and heard counts already taken as a loss sample; kept past completion, for the answer to the last checkpoint. */
    private final Map<String, long[]> lossCounts = new java.util.LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, long[]> eldest) {
            return size() > 1024;
        }
    };
    /** The room the receiver last said it had (null until it says), and the bytes of transfers started since. */
    private Long receiverRoom;
    private long startedSince;

    public OutgoingTransfers(Path dir, EnvelopeCodec codec, TransferSender sender) {
        this(dir, codec, sender, RepairPolicy.NONE);
    }

    public OutgoingTransfers(Path dir, EnvelopeCodec codec, TransferSender sender, RepairPolicy coding) {
        this.dir = dir;
        this.codec = codec;
        this.sender = sender;
        this.coding = coding;
    }

    /**
     * The envelopes that carry {@code message} with {@code body}: the message itself when small (then the
     * body file is left alone), else a start and chunks, read lazily from the body, which is moved here
     * and kept until the receiver reports the transfer complete.
     */
    public Iterator<Envelope> send(Envelope message, Path body, Instant now) {
        return send(message, body, null, now);
    }

    /** As {@link #send(Envelope, Path, Instant)}, for a body whose sha256 the caller has just verified. */
    public Iterator<Envelope> send(Envelope message, Path body, String knownSha256, Instant now) {
        if (!sender.needsTransfer(body)) {
            return List.of(sender.inline(message, body)).iterator();
        }
        Envelope start = sender.start(message, body, knownSha256, now);
        TransferStart plan = Messages.read(start, TransferStart.class);
        Path transfer = dir.resolve(plan.transferId());
        try {
            Files.createDirectories(transfer);
            Files.move(body, transfer.resolve("body"), StandardCopyOption.REPLACE_EXISTING);
            Files.write(transfer.resolve("start"), codec.encode(start));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep outgoing transfer " + plan.transferId(), e);
        }
        DurableFiles.touch(transfer.resolve("start"), now);
        Optional<String> noRoom = claimRoom(plan.size());
        if (noRoom.isPresent()) {
            hold(transfer, noRoom.get());
            return List.of(sender.endOfRound(start, plan, 0, now)).iterator();
        }
        BitSet all = new BitSet();
        all.set(0, plan.chunkCount());
        return envelopes(start, plan, transfer, 0, all, now, true);
    }

    /** How many times a message of {@code bytes} outside any transfer goes on this link, for its loss (see {@link RepairPolicy#signalCopies}). */
    public int signalCopies(int bytes) {
        return coding.signalCopies(bytes);
    }

    /** What the receiver said it has room for, in a message it sent. */
    public synchronized void receiverRoom(long bytes) {
        receiverRoom = bytes;
        startedSince = 0;
    }

    /** Why a transfer of {@code size} should not start now, or empty when it may (counting it against the room). */
    private synchronized Optional<String> claimRoom(long size) {
        if (receiverRoom != null && size > receiverRoom - startedSince) {
            return Optional.of("the receiver said it has room for " + Math.max(0, receiverRoom - startedSince) + " bytes; this needs " + size);
        }
        startedSince += size;
        return Optional.empty();
    }

    private static void hold(Path transfer, String why) {
        boolean already = Files.exists(transfer.resolve("held"));
        DurableFiles.writeAtomically(transfer.resolve("held"), why.getBytes(StandardCharsets.UTF_8));
        if (!already) {
            LOG.info("holding transfer {}: {}", transfer.getFileName(), why);
        }
    }

    /** What to send again after {@code report}: the start if it is missing, and the chunks it lacks. */
    public synchronized List<Envelope> answer(TransferReport report, Instant now) {
        Path transfer = dir.resolve(report.transferId());
        if (report.round() > 0) {
            measure(report);
        }
        if (!Files.exists(transfer.resolve("start"))) {
            return List.of();
        }
        if (report.complete()) {
            DurableFiles.deleteTree(transfer);
            return List.of();
        }
        DurableFiles.touch(transfer.resolve("start"), now);
        if (report.paused() != null) {
            hold(transfer, "the receiver asked to hold it: " + report.paused());
            return List.of();
        }
        try {
            if (Files.deleteIfExists(transfer.resolve("held"))) {
                LOG.info("transfer {} resumed: the receiver has room", report.transferId());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resume outgoing transfer " + transfer, e);
        }
        int round = round(transfer);
        if (report.round() > 0 && report.round() < round) {
            LOG.debug("transfer {}: a further report of round {}, already answered", report.transferId(), report.round());
            return List.of();
        }
        Envelope start = startOf(transfer);
        TransferStart plan = Messages.read(start, TransferStart.class);
        List<Envelope> resend = new ArrayList<>();
        envelopes(start, plan, transfer, round, report.missing(plan.chunkCount()), now, !report.haveStart()).forEachRemaining(resend::add);
        return resend;
    }

    /** A report answering a round: the chunks sent and heard since the last such report are a sample of the link's loss. */
    private void measure(TransferReport report) {
        long[] counts = lossCounts.get(report.transferId());
        if (counts == null || report.heard() < counts[2]) {
            return; // sent before a restart, or a report older than the last one taken
        }
        coding.measured().observe(counts[0] - counts[1], report.heard() - counts[2]);
        counts[1] = counts[0];
        counts[2] = report.heard();
    }

    /** Starts of transfers with no news for {@code quiet} (the start file's time marks the last news): sending them asks the receiver for a report. */
    public synchronized List<Envelope> checkpoints(Instant now, java.time.Duration quiet) {
        Instant quietSince = now.minus(quiet);
        List<Envelope> starts = new ArrayList<>();
        for (Path transfer : transfers()) {
            try {
                Instant since = Files.exists(transfer.resolve("held")) ? now.minus(quiet.multipliedBy(HELD_CHECKPOINTS)) : quietSince;
                if (Files.getLastModifiedTime(transfer.resolve("start")).toInstant().isBefore(since)) {
                    DurableFiles.touch(transfer.resolve("start"), now);
                    starts.add(startOf(transfer));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read outgoing transfer " + transfer, e);
            }
        }
        return starts;
    }

    /**
     * True when a transfer carrying a {@code type} message whose header {@code field} is {@code value} is
     * still being sent: a second request for the same content joins it rather than starting another.
     */
    public synchronized boolean sending(String type, String field, String value) {
        for (Path transfer : transfers()) {
            TransferStart start = Messages.read(startOf(transfer), TransferStart.class);
            if (start.carriedType().equals(type) && value.equals(start.carriedHeaders().path(field).asText())) {
                return true;
            }
        }
        return false;
    }

    /** The type of the message transfer {@code transferId} carries, while it is being sent. */
    public Optional<String> carriedTypeOf(String transferId) {
        String known = carried.get(transferId);
        if (known != null) {
            return Optional.of(known);
        }
        Path start = dir.resolve(transferId).resolve("start");
        if (!transferId.matches("[A-Za-z0-9-]{1,64}") || !Files.exists(start)) {
            return Optional.empty();
        }
        String type = Messages.read(startOf(start.getParent()), TransferStart.class).carriedType();
        carried.put(transferId, type);
        return Optional.of(type);
    }

    /** Transfers not yet reported complete. */
    public synchronized int pending() {
        return transfers().size();
    }

    /** The rounds of chunks sent of {@code transfer} so far. */
    private static int round(Path transfer) {
        Path file = transfer.resolve("round");
        try {
            return Files.exists(file) ? Integer.parseInt(Files.readString(file, StandardCharsets.UTF_8).strip()) : 0;
        } catch (IOException | NumberFormatException e) {
            return 0; // an unreadable count only costs answering a further report of a round again
        }
    }

    /**
     * The start when asked for, the chunks (each block sent whole followed by its repair chunks), then the checkpoints
     * that close the round when any chunk was sent (a new round after {@code sentRounds}, counted in {@code transfer}).
     */
    private Iterator<Envelope> envelopes(Envelope start, TransferStart plan, Path transfer, int sentRounds, BitSet chunks, Instant now, boolean withStart) {
        Path body = transfer.resolve("body");
        int round = chunks.isEmpty() ? 0 : sentRounds + 1;
        if (round > 0) {
            DurableFiles.writeAtomically(transfer.resolve("round"), Integer.toString(round).getBytes(StandardCharsets.UTF_8));
        }
        List<CodedBlock> blocks = coding.blocksFor(chunks, plan.chunkSize());
        int repairs = blocks.stream().mapToInt(CodedBlock::repairs).sum();
        int firstRepair = plan.chunkCount() + repairsMade(transfer);
        if (repairs > 0) {
            DurableFiles.writeAtomically(transfer.resolve("repairs"), Integer.toString(firstRepair - plan.chunkCount() + repairs)
                    .getBytes(StandardCharsets.UTF_8));
        }
        countSent(plan.transferId(), chunks.cardinality() + (long) repairs);
        return new Iterator<>() {
            private boolean startDue = withStart;
            private int next = chunks.nextSetBit(0);
            private final java.util.ArrayDeque<Envelope> repairsDue = new java.util.ArrayDeque<>();
            private int block;
            private int inBlock;
            private int nextRepair = firstRepair;
            private byte[][] repairBytes;
            private int endsDue = chunks.isEmpty() ? 0 : CLOSING_CHECKPOINTS;

            @Override
            public boolean hasNext() {
                return startDue || !repairsDue.isEmpty() || next >= 0 || endsDue > 0;
            }

            @Override
            public Envelope next() {
                if (startDue) {
                    startDue = false;
                    return start;
                }
                if (!repairsDue.isEmpty()) {
                    return repairsDue.poll();
                }
                if (next >= 0) {
                    int index = next;
                    next = chunks.nextSetBit(index + 1);
                    Envelope chunk = sender.chunk(start, plan, body, index, now);
                    code(chunk.body());
                    return chunk;
                }
                if (endsDue == 0) {
                    throw new NoSuchElementException();
                }
                endsDue--;
                return sender.endOfRound(start, plan, round, now);
            }

            /** Adds the block's next data chunk into its repair chunks, and makes them due after its last. */
            private void code(byte[] bytes) {
                CodedBlock current = blocks.get(block);
                if (current.repairs() > 0) {
                    if (inBlock == 0) {
                        // the longest chunk is any but the transfer's last, which is the block's last if it is in it
                        repairBytes = new byte[current.repairs()][plan.chunkLength(current.chunks()[0])];
                    }
                    ErasureCode code = current.code();
                    for (int repair = 0; repair < current.repairs(); repair++) {
                        code.addData(repair, inBlock, bytes, bytes.length, repairBytes[repair]);
                    }
                    if (inBlock == current.chunks().length - 1) {
                        for (int repair = 0; repair < current.repairs(); repair++) {
                            repairsDue.add(sender.repair(start, plan, current, repair, nextRepair++, repairBytes[repair], now));
                        }
                        repairBytes = null;
                    }
                }
                if (++inBlock == current.chunks().length) {
                    block++;
                    inBlock = 0;
                }
            }
        };
    }

    /** Repair chunks made for {@code transfer} so far: the next is numbered past them. */
    private static int repairsMade(Path transfer) {
        Path file = transfer.resolve("repairs");
        try {
            return Files.exists(file) ? Integer.parseInt(Files.readString(file, StandardCharsets.UTF_8).strip()) : 0;
        } catch (IOException | NumberFormatException e) {
            // numbering afresh could give a repair chunk the number of one the receiver holds: number past any there could be
            return ErasureCode.MAX_CHUNKS * 1024;
        }
    }

    private synchronized void countSent(String transferId, long chunks) {
        lossCounts.computeIfAbsent(transferId, id -> new long[3])[0] += chunks;
    }

    private List<Path> transfers() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(path -> Files.exists(path.resolve("start"))).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list outgoing transfers in " + dir, e);
        }
    }

    private Envelope startOf(Path transfer) {
        try {
            return codec.decode(Files.readAllBytes(transfer.resolve("start")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read outgoing transfer " + transfer, e);
        }
    }
}
