package io.outpost.protocol.transfer;

import io.outpost.content.Names;

/** One piece of a transfer's body; the envelope body holds its bytes, {@code sha256} their digest. */
public record Chunk(String transferId, int index, long offset, String sha256) {
    /** The size of a chunk: a body larger than this crosses the link as a transfer of chunks this size. */
    public static final int SIZE = 256 * 1024;

    public Chunk {
        if (transferId == null || !transferId.matches("[A-Za-z0-9-]{1,64}")) {
            throw new IllegalArgumentException("illegal transfer id '" + transferId + "'");
        }
        if (index < 0 || offset < 0) {
            throw new IllegalArgumentException("negative chunk index or offset");
        }
        Names.requireSha256(sha256);
    }
}
