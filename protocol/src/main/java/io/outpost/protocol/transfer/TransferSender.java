package io.outpost.protocol.transfer;

import io.outpost.content.Digests;
import io.outpost.protocol.Envelope;
import io.outpost.protocol.MessageTypes;
import io.outpost.protocol.Messages;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.UUID;

/**
 * Makes the envelopes that carry a body file over the link: the message itself when the body fits one
 * chunk, else a {@link TransferStart} and chunks, each read from the file when it is made, so memory
 * holds one chunk whatever the body's size.
 */
public final class TransferSender {
    private final int chunkSize;

    public TransferSender(int chunkSize) {
        if (chunkSize <= 0) {
            throw new IllegalArgumentException("chunk size must be positive");
        }
        this.chunkSize = chunkSize;
    }

    /** True when {@code body} is larger than one chunk and so must travel as a transfer. */
    public boolean needsTransfer(Path body) {
        return size(body) > chunkSize;
    }

    /** {@code message} carrying {@code body}, which fits one chunk, inside itself. */
    public Envelope inline(Envelope message, Path body) {
        return withBody(message, readRange(body, 0, (int) size(body)));
    }

    /**
     * The start of a new transfer of {@code body} on behalf of {@code message}; {@code knownSha256} saves
     * hashing the body again when the caller has just verified it (null to hash it here).
     */
    public Envelope start(Envelope message, Path body, String knownSha256, Instant now) {
        TransferStart start = new TransferStart(UUID.randomUUID().toString(), size(body),
                knownSha256 != null ? knownSha256 : Digests.sha256(body), chunkSize,
                message.type(), message.headers(), false, 0);
        return derive(message, MessageTypes.TRANSFER_START, start, null, now);
    }

    /** The checkpoint that follows round {@code round} of chunks of {@code start}'s transfer. */
    public Envelope endOfRound(Envelope start, TransferStart plan, int round, Instant now) {
        return derive(start, MessageTypes.TRANSFER_START, plan.asEndOfRound(round), null, now);
    }

    /** Chunk {@code index} of the transfer {@code plan}, read from {@code body}. */
    public Envelope chunk(Envelope start, TransferStart plan, Path body, int index, Instant now) {
        long offset = (long) index * plan.chunkSize();
        byte[] bytes = readRange(body, offset, plan.chunkLength(index));
        return derive(start, MessageTypes.CHUNK, new Chunk(plan.transferId(), index, offset, Digests.sha256(bytes)), bytes, now);
    }

    /** Repair {@code repair} of {@code block} of the transfer {@code plan}, as {@code bytes}, under the transfer's repair chunk {@code index}. */
    public Envelope repair(Envelope start, TransferStart plan, CodedBlock block, int repair, int index, byte[] bytes, Instant now) {
        return derive(start, MessageTypes.REPAIR_CHUNK, new Chunk(plan.transferId(), index, 0, Digests.sha256(bytes), block.covers(), repair), bytes, now);
    }

    private static Envelope withBody(Envelope message, byte[] body) {
        return new Envelope(message.id(), message.type(), message.correlationId(), message.outpost(), message.tenant(),
                message.createdAt(), message.priority(), message.expiresAt(), message.headers(), body);
    }

    private static Envelope derive(Envelope message, String type, Object headers, byte[] body, Instant now) {
        return new Envelope(UUID.randomUUID().toString(), type, message.correlationId(), message.outpost(), message.tenant(), now,
                message.priority(), message.expiresAt(), Messages.headers(headers), body);
    }

    private static long size(Path body) {
        try {
            return Files.size(body);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + body, e);
        }
    }

    /** {@code length} bytes of {@code file} from {@code offset}. */
    static byte[] readRange(Path file, long offset, int length) {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, offset + buffer.position()) < 0) {
                    throw new IOException("the file ends before " + (offset + length) + " bytes");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return buffer.array();
    }
}
