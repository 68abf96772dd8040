package io.outpost.protocol.transfer;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Data chunks of a transfer coded together in one round: {@code chunks} (ascending chunk indexes, at most
 * {@link RepairPolicy#MAX_BLOCK}) and the {@code repairs} repair chunks that follow the last of them. A round that sends
 * every chunk codes the transfer in blocks of neighbours; a resend round codes the chunks it resends, wherever they
 * are. Each repair chunk names its block ({@link Chunk#covers()}), so the receiver needs nothing else to rebuild it.
 */
public record CodedBlock(int[] chunks, int repairs) {
    public CodedBlock {
        if (chunks.length < 1 || repairs < 0 || chunks.length + repairs > ErasureCode.MAX_CHUNKS) {
            throw new IllegalArgumentException("a block codes 1 to " + ErasureCode.MAX_CHUNKS + " chunks, data and repairs together: not "
                    + chunks.length + " + " + repairs);
        }
    }

    /** {@code chunks} split in order into blocks of at most {@code maxBlock}, as even as they come, with no repairs yet. */
    public static List<int[]> split(BitSet chunks, int maxBlock) {
        int count = chunks.cardinality();
        List<int[]> blocks = new ArrayList<>();
        if (count == 0) {
            return blocks;
        }
        int blockCount = (count + maxBlock - 1) / maxBlock;
        int next = chunks.nextSetBit(0);
        for (int block = 0; block < blockCount; block++) {
            int size = count / blockCount + (block < count % blockCount ? 1 : 0);
            int[] members = new int[size];
            for (int i = 0; i < size; i++) {
                members[i] = next;
                next = chunks.nextSetBit(next + 1);
            }
            blocks.add(members);
        }
        return blocks;
    }

    public ErasureCode code() {
        return new ErasureCode(chunks.length, repairs);
    }

    /** The chunk indexes as ranges, as a repair chunk names them. */
    public List<TransferReport.Range> covers() {
        BitSet bits = new BitSet();
        for (int chunk : chunks) {
            bits.set(chunk);
        }
        return TransferReport.of("block", false, false, bits).received();
    }

    /** The chunk indexes {@code covers} names, ascending. */
    public static int[] chunksOf(List<TransferReport.Range> covers) {
        return covers.stream().flatMapToInt(range -> java.util.stream.IntStream.rangeClosed(range.from(), range.to())).toArray();
    }
}
