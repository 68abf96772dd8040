package io.outpost.protocol.transfer;

/**
 * How a transfer's chunks group into blocks for erasure coding: {@code chunkCount} data chunks in blocks of
 * {@code blockChunks} (the last may hold fewer), each followed by {@code repairs} repair chunks. Repair chunk
 * {@code j} of block {@code b} has chunk index {@code chunkCount + b × repairs + j}, past every data chunk, so a
 * report's ranges (data chunks only) mean what they meant without coding. {@code repairs} 0: no coding.
 */
public record CodedBlocks(int chunkCount, int blockChunks, int repairs) {
    public CodedBlocks {
        if (chunkCount < 1 || blockChunks < 1 || repairs < 0 || blockChunks + repairs > ErasureCode.MAX_CHUNKS) {
            throw new IllegalArgumentException("bad coding: " + chunkCount + " chunks in blocks of " + blockChunks + " + " + repairs);
        }
    }

    /** Blocks of at most {@code maxBlock} chunks, as even as they come, for {@code chunkCount} chunks. */
    public static int blockChunksFor(int chunkCount, int maxBlock) {
        int blocks = (chunkCount + maxBlock - 1) / maxBlock;
        return (chunkCount + blocks - 1) / blocks;
    }

    public boolean coded() {
        return repairs > 0;
    }

    public int blockCount() {
        return (chunkCount + blockChunks - 1) / blockChunks;
    }

    public int blockOf(int dataChunk) {
        return dataChunk / blockChunks;
    }

    public int firstChunk(int block) {
        return block * blockChunks;
    }

    /** Data chunks in {@code block}. */
    public int dataChunks(int block) {
        return Math.min(blockChunks, chunkCount - firstChunk(block));
    }

    public int repairIndex(int block, int repair) {
        return chunkCount + block * repairs + repair;
    }

    /** True when {@code index} names one of this transfer's repair chunks. */
    public boolean isRepair(int index) {
        return index >= chunkCount && index < chunkCount + blockCount() * repairs;
    }

    /** The block of repair chunk {@code index}. */
    public int blockOfRepair(int index) {
        return (index - chunkCount) / repairs;
    }

    /** Which of its block's repairs chunk {@code index} is. */
    public int repairOf(int index) {
        return (index - chunkCount) % repairs;
    }

    public ErasureCode code(int block) {
        return new ErasureCode(dataChunks(block), repairs);
    }
}
