package io.outpost.protocol.transfer;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpost.content.Names;
import java.util.Objects;

/**
 * Announces a body sent in chunks. It carries the type and headers of the message the body belongs
 * to, so the receiver can hand over that message once every chunk is in and the digest checks out.
 * Sent again after the last chunk of each round with {@code endOfRound} set (LTP's end-of-block
 * checkpoint): on an order-keeping link every chunk sent before it has arrived or is lost by then, so
 * the receiver's report is final. A round's checkpoint says which {@code round} it closes (1 for the first, 0 for a
 * start that closes none), and the report answering it says so too: the checkpoint goes more than once, so a lost
 * checkpoint or report does not wait for a timer, and the sender answers each round's report once.
 */
public record TransferStart(String transferId, long size, String sha256, int chunkSize,
                            String carriedType, ObjectNode carriedHeaders, boolean endOfRound,
                            @JsonInclude(JsonInclude.Include.NON_DEFAULT) Integer round) {
    public TransferStart {
        Objects.requireNonNull(transferId, "transferId");
        Names.requireSha256(sha256);
        Objects.requireNonNull(carriedType, "carriedType");
        Objects.requireNonNull(carriedHeaders, "carriedHeaders");
        if (size < 0 || chunkSize <= 0) {
            throw new IllegalArgumentException("bad transfer geometry: size " + size + ", chunk size " + chunkSize);
        }
        round = round == null ? 0 : round; // a start from before rounds were counted
        if (round < 0) {
            throw new IllegalArgumentException("negative round " + round);
        }
        if (!transferId.matches("[A-Za-z0-9-]{1,64}")) {
            throw new IllegalArgumentException("illegal transfer id '" + transferId + "'");
        }
    }

    /** The same start, marking the end of round {@code closed} of chunks. */
    public TransferStart asEndOfRound(int closed) {
        return new TransferStart(transferId, size, sha256, chunkSize, carriedType, carriedHeaders, true, closed);
    }

    /** Bytes in chunk {@code index}: the chunk size but for the last. */
    public int chunkLength(int index) {
        return (int) Math.min(chunkSize, size - (long) index * chunkSize);
    }

    public int chunkCount() {
        return (int) Math.max(1, (size + chunkSize - 1) / chunkSize);
    }
}
