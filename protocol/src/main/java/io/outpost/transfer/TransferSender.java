package io.outpost.transfer;

import io.outpost.protocol.Envelope;
import io.outpost.protocol.Messages;
import io.outpost.protocol.MessageTypes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.UUID;

/**
 * Turns a message with a body file into the envelopes that cross the link: the message itself when the
 * body fits one chunk, else a {@link TransferStart} followed by chunks read from the file one at a time,
 * so memory holds one chunk whatever the body's size.
 */
public final class TransferSender {
    private final int chunkSize;

    public TransferSender(int chunkSize) {
        if (chunkSize <= 0) {
            throw new IllegalArgumentException("chunk size must be positive");
        }
        this.chunkSize = chunkSize;
    }

    /** @param message the message the body belongs to; its own body is ignored */
    public Iterator<Envelope> envelopes(Envelope message, Path body, Instant now) {
        long size = size(body);
        if (size <= chunkSize) {
            return java.util.List.of(withBody(message, readRange(body, 0, (int) size))).iterator();
        }
        TransferStart start = new TransferStart(UUID.randomUUID().toString(), size, Digests.sha256(body), chunkSize,
                message.type(), message.headers());
        Envelope startEnvelope = derive(message, MessageTypes.TRANSFER_START, start, null, now);
        return new Iterator<>() {
            private int next = -1;

            @Override
            public boolean hasNext() {
                return next < start.chunkCount();
            }

            @Override
            public Envelope next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                int index = next++;
                if (index < 0) {
                    return startEnvelope;
                }
                long offset = (long) index * chunkSize;
                byte[] bytes = readRange(body, offset, (int) Math.min(chunkSize, size - offset));
                Chunk chunk = new Chunk(start.transferId(), index, offset, Digests.sha256(bytes));
                return derive(message, MessageTypes.CHUNK, chunk, bytes, now);
            }
        };
    }

    private static Envelope withBody(Envelope message, byte[] body) {
        return new Envelope(message.id(), message.type(), message.correlationId(), message.outpost(),
                message.createdAt(), message.priority(), message.expiresAt(), message.headers(), body);
    }

    private static Envelope derive(Envelope message, String type, Object headers, byte[] body, Instant now) {
        return new Envelope(UUID.randomUUID().toString(), type, message.correlationId(), message.outpost(), now,
                message.priority(), message.expiresAt(), Messages.headers(headers), body);
    }

    private static long size(Path body) {
        try {
            return Files.size(body);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + body, e);
        }
    }

    private static byte[] readRange(Path file, long offset, int length) {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            while (buffer.hasRemaining()) {
                if (channel.read(buffer, offset + buffer.position()) < 0) {
                    throw new IOException("file shrank while being sent");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return buffer.array();
    }
}
