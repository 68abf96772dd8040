package io.outpost.protocol.transfer;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The receiver's account of a transfer: which chunks it holds (as ranges), whether it has the start,
 * and whether it has the whole body, verified. The sender resends only what the ranges lack. A
 * {@code final} report (the last chunk came, or nothing came for a while) means every missing chunk is
 * lost; otherwise (an answer to a checkpoint) only those before the highest one received, since later
 * ones may still be on the link. A report with a {@code paused} asks the sender to hold the transfer: the receiver
 * cannot store the rest now (its disk is full); a later report without it (the receiver found room) resumes it.
 * {@code round} is the round whose checkpoint the report answers, 0 for one the receiver made by itself (a timer) or
 * in answer to a plain start. {@code heard} counts the chunks of the transfer (data and repair, each once, also those
 * that came after it was complete) the receiver took in: against what was sent, the link's loss.
 */
public record TransferReport(String transferId, boolean haveStart, boolean complete, boolean isFinal, List<Range> received,
                             @JsonInclude(JsonInclude.Include.NON_NULL) Paused paused,
                             @JsonInclude(JsonInclude.Include.NON_DEFAULT) Integer round,
                             @JsonInclude(JsonInclude.Include.NON_DEFAULT) Integer heard) {

    /**
     * Why a receiver holds a transfer back: it needs {@code neededBytes} more to store the rest, has {@code freeBytes}
     * for it, at {@code storedAt} (a path at the receiver, for the operator).
     */
    public record Paused(long neededBytes, long freeBytes, String storedAt) {
        @Override
        public String toString() {
            return "disk full at " + storedAt + ": " + mib(neededBytes) + " needed, " + mib(freeBytes) + " free";
        }

        private static String mib(long bytes) {
            return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
        }
    }

    /** Chunk indexes {@code from} to {@code to}, both included. */
    public record Range(int from, int to) {
        public Range {
            if (from < 0 || to < from) {
                throw new IllegalArgumentException("bad range " + from + ".." + to);
            }
        }
    }

    public TransferReport {
        if (transferId == null || !transferId.matches("[A-Za-z0-9-]{1,64}")) {
            throw new IllegalArgumentException("illegal transfer id '" + transferId + "'");
        }
        received = List.copyOf(received == null ? List.of() : received);
        round = round == null ? 0 : round; // a report from before rounds were counted
        heard = heard == null ? 0 : heard;
    }

    public static TransferReport of(String transferId, boolean haveStart, boolean isFinal, BitSet chunks) {
        List<Range> ranges = new ArrayList<>();
        for (int from = chunks.nextSetBit(0); from >= 0; ) {
            int to = chunks.nextClearBit(from) - 1;
            ranges.add(new Range(from, to));
            from = chunks.nextSetBit(to + 1);
        }
        return new TransferReport(transferId, haveStart, false, isFinal, ranges, null, 0, 0);
    }

    public static TransferReport completed(String transferId) {
        return new TransferReport(transferId, true, true, true, List.of(), null, 0, 0);
    }

    /** This report, saying the receiver took in {@code chunks} chunks of the transfer. */
    public TransferReport hearing(int chunks) {
        return new TransferReport(transferId, haveStart, complete, isFinal, received, paused, round, chunks);
    }

    /** This report, asking the sender to hold the transfer for {@code why}. */
    public TransferReport pausedFor(Paused why) {
        return new TransferReport(transferId, haveStart, false, true, received, why, round, heard);
    }

    /** This report, as the answer to the checkpoint of round {@code answered}. */
    public TransferReport answering(int answered) {
        return new TransferReport(transferId, haveStart, complete, isFinal, received, paused, answered, heard);
    }

    /** Chunks of {@code chunkCount} the receiver does not hold and that count as lost. */
    public BitSet missing(int chunkCount) {
        int end = isFinal || received.isEmpty() ? chunkCount : Math.min(chunkCount, received.get(received.size() - 1).to() + 1);
        BitSet missing = new BitSet(chunkCount);
        missing.set(0, end);
        received.forEach(range -> missing.clear(range.from(), Math.min(range.to() + 1, end)));
        return missing;
    }
}
