package io.outpost.protocol.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.protocol.Envelope;
import io.outpost.protocol.EnvelopeCodec;
import io.outpost.protocol.Messages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A receiver short of disk holds its senders back rather than dropping chunks they send again and again. */
class TransferRoomTest {
    private static final int CHUNK = 16 * 1024;
    private static final Duration QUIET = Duration.ofSeconds(30);
    private final EnvelopeCodec codec = new EnvelopeCodec(CHUNK);
    private final AtomicLong free = new AtomicLong();

    @TempDir
    Path dir;

    @Test
    void aTransferLargerThanTheRoomWaitsWithItsSenderHeldAndResumesOnceThereIsRoom() throws IOException {
        free.set(TransferReceiver.RESERVE + 2 * CHUNK);
        TransferReceiver receiver = receiver();
        OutgoingTransfers sender = sender();
        Path body = file(6 * CHUNK, 1);
        byte[] original = Files.readAllBytes(body);
        List<Envelope> sent = send(sender, body);

        TransferReport paused = receiver.accept(sent.get(0)).report().orElseThrow();
        assertThat(paused.paused()).isNotNull();
        assertThat(paused.paused().neededBytes()).isEqualTo(6 * CHUNK);
        assertThat(paused.paused().freeBytes()).isEqualTo(2 * CHUNK);
        assertThat(paused.paused().toString()).isEqualTo("disk full at " + dir.resolve("in") + ": 0.1 MiB needed, 0.0 MiB free");
        for (Envelope chunk : sent.subList(1, sent.size() - OutgoingTransfers.CLOSING_CHECKPOINTS)) {
            assertThat(receiver.accept(chunk).report()).as("chunks of a waiting transfer are dropped, not answered").isEmpty();
        }
        String id = paused.transferId();
        assertThat(dir.resolve("in").resolve(id).resolve("body.part")).as("nothing written").doesNotExist();
        assertThat(receiver.inProgress()).singleElement().satisfies(progress -> {
            assertThat(progress.waiting()).isEqualTo(paused.paused());
            assertThat(progress.eta()).as("no ETA for what does not move").isEmpty();
        });

        assertThat(sender.answer(paused, Instant.EPOCH)).as("held: nothing more is sent").isEmpty();
        assertThat(sender.checkpoints(Instant.EPOCH.plus(QUIET.multipliedBy(2)), QUIET)).as("a held transfer checkpoints less often").isEmpty();
        List<Envelope> checkpoint = sender.checkpoints(Instant.EPOCH.plus(QUIET.multipliedBy(OutgoingTransfers.HELD_CHECKPOINTS + 1)), QUIET);
        assertThat(receiver.accept(recoded(checkpoint.get(0))).report().orElseThrow().paused()).as("still no room").isNotNull();
        assertThat(receiver.reportsDue(Instant.now().plusSeconds(600), Duration.ofSeconds(2), QUIET, Instant.EPOCH))
                .as("no gap reports while it waits: they would only bring chunks that cannot be stored").isEmpty();

        free.set(TransferReceiver.RESERVE + 100 * CHUNK);
        // long after anything arrived: a transfer that went quiet is reported as stalled too, but not twice in one
        List<TransferReport> resumed = receiver.reportsDue(Instant.now().plusSeconds(600), Duration.ofSeconds(2), QUIET, Instant.EPOCH);
        assertThat(resumed).singleElement().satisfies(report -> {
            assertThat(report.paused()).isNull();
            assertThat(report.isFinal()).isTrue();
        });
        List<Envelope> again = sender.answer(recoded(resumed.get(0)), Instant.EPOCH);
        assertThat(again).extracting(Envelope::type).containsExactly("Chunk", "Chunk", "Chunk", "Chunk", "Chunk", "Chunk", "TransferStart", "TransferStart");
        Optional<Delivery> delivered = Optional.empty();
        for (Envelope envelope : again) {
            delivered = delivered.or(() -> receiver.accept(recoded(envelope)).delivery());
        }
        assertThat(delivered).get().satisfies(d -> assertThat(Files.readAllBytes(d.body())).isEqualTo(original));
        assertThat(receiver.reportsDue(Instant.now(), Duration.ofSeconds(2), QUIET, Instant.EPOCH)).as("resumed once").isEmpty();
    }

    @Test
    void aSenderToldTheRoomLeftStartsWhatFitsAndSendsOnlyTheStartOfTheRest() throws IOException {
        OutgoingTransfers sender = sender();
        sender.receiverRoom(3 * CHUNK);
        assertThat(send(sender, file(2 * CHUNK + 10, 2))).as("start, three chunks, two checkpoints").hasSize(6);
        List<Envelope> held = send(sender, file(2 * CHUNK, 3));
        assertThat(held).as("the room left is less than a chunk: the start alone, as a checkpoint").singleElement()
                .satisfies(start -> assertThat(Messages.read(start, TransferStart.class).endOfRound()).isTrue());

        free.set(TransferReceiver.RESERVE + 100 * CHUNK);
        TransferReport answer = receiver().accept(held.get(0)).report().orElseThrow();
        assertThat(answer.paused()).as("the receiver has room after all").isNull();
        assertThat(sender.answer(answer, Instant.EPOCH)).extracting(Envelope::type).containsExactly("Chunk", "Chunk", "TransferStart", "TransferStart");
    }

    @Test
    void theRoomIsWhatTheDiskHasLessTheReserveAndWhatUnfinishedTransfersStillLack() throws IOException {
        free.set(TransferReceiver.RESERVE + 10 * CHUNK);
        TransferReceiver receiver = receiver();
        List<Envelope> sent = send(sender(), file(6 * CHUNK, 4));
        sent.subList(0, 3).forEach(receiver::accept);
        assertThat(receiver.room()).isEqualTo(10 * CHUNK - 4 * CHUNK);
    }

    private TransferReceiver receiver() {
        return new TransferReceiver(dir.resolve("in"), codec, at -> free.get());
    }

    private OutgoingTransfers sender() {
        return new OutgoingTransfers(dir.resolve("out"), codec, new TransferSender(CHUNK));
    }

    private List<Envelope> send(OutgoingTransfers sender, Path body) {
        Envelope message = new Envelope("answer-1", "ImageBlob", "request-1", "polar-1", "blue", Instant.EPOCH, 4,
                Instant.EPOCH.plus(Duration.ofHours(1)), Messages.headers(Map.of("digest", "sha256:x")), null);
        List<Envelope> sent = new ArrayList<>();
        sender.send(message, body, Instant.EPOCH).forEachRemaining(envelope -> sent.add(recoded(envelope)));
        return sent;
    }

    private Envelope recoded(Envelope envelope) {
        return codec.decode(codec.encode(envelope));
    }

    private TransferReport recoded(TransferReport report) {
        return Messages.read(recoded(new Envelope("r", "TransferReport", "r", "polar-1", null, Instant.EPOCH, 4, null, Messages.headers(report), null)),
                TransferReport.class);
    }

    private Path file(int size, long seed) throws IOException {
        return RandomBodies.write(dir, size, seed);
    }
}
