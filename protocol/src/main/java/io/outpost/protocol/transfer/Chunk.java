package io.outpost.protocol.transfer;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.outpost.content.Names;
import java.util.List;

/**
 * One piece of a transfer's body; the envelope body holds its bytes, {@code sha256} their digest. A repair chunk
 * ({@link io.outpost.protocol.MessageTypes#REPAIR_CHUNK}) is instead repair {@code repair} of the data chunks
 * {@code covers} names ({@link CodedBlock}); its {@code index}, past the data chunks, tells it from the transfer's
 * other repair chunks.
 */
public record Chunk(String transferId, int index, long offset, String sha256,
                    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<TransferReport.Range> covers,
                    @JsonInclude(JsonInclude.Include.NON_NULL) Integer repair) {
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
        covers = covers == null ? List.of() : List.copyOf(covers);
        if ((repair == null) != covers.isEmpty() || repair != null && (repair < 0 || repair >= ErasureCode.MAX_CHUNKS)) {
            throw new IllegalArgumentException("a repair chunk names its repair number and the chunks it covers; a data chunk neither");
        }
    }

    /** Data chunk {@code index}, at {@code offset} of the body. */
    public Chunk(String transferId, int index, long offset, String sha256) {
        this(transferId, index, offset, sha256, List.of(), null);
    }
}
