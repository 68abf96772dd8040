package io.outpost.protocol.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.protocol.Envelope;
import io.outpost.protocol.EnvelopeCodec;
import io.outpost.protocol.MessageTypes;
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
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transfers with repair chunks: a block that loses no more than its repairs is rebuilt with no round trip. */
class ErasureCodedTransferTest {
    private static final int CHUNK = 16 * 1024;
    private final EnvelopeCodec codec = new EnvelopeCodec(CHUNK);
    /** Mars-scaled: a round trip costs more than the chunks that spare it, so the transfers are coded. */
    private final MeasuredLoss measured = new MeasuredLoss();
    private final RepairPolicy twentyPercent = new RepairPolicy(0.2, Duration.ofSeconds(3), 16_000, measured);

    @TempDir
    Path dir;

    @Test
    void blocksThatLoseNoMoreThanTheirRepairChunksAreRebuiltAndNothingIsSentAgain() throws IOException {
        Path body = RandomBodies.write(dir, 130 * CHUNK + 77, 1);
        byte[] original = Files.readAllBytes(body);
        // at Mars' real distance (a 25 minute round trip) large transfers are coded too
        OutgoingTransfers sender = outgoing(new RepairPolicy(0.2, Duration.ofMinutes(25), 16_000, measured));
        List<Envelope> sent = send(sender, body);
        TransferStart plan = Messages.read(sent.get(0), TransferStart.class);
        List<Chunk> repairChunks = repairs(sent);
        int repairs = (int) repairChunks.stream().filter(r -> r.covers().get(0).from() == 0).count();
        assertThat(repairChunks.stream().map(Chunk::covers).distinct()).as("three blocks of neighbours")
                .containsExactly(List.of(new TransferReport.Range(0, 43)), List.of(new TransferReport.Range(44, 87)),
                        List.of(new TransferReport.Range(88, 130)));
        assertThat(repairs).isPositive();
        assertThat(repairChunks).hasSize(3 * repairs);

        // each block loses as many chunks as it has repairs, data and repair chunks alike, the last data chunk among them
        List<Integer> lost = new ArrayList<>();
        for (int block = 0; block < 3; block++) {
            int first = 44 * block;
            for (int i = 0; i < repairs - 1; i++) {
                lost.add(first + i);
            }
            lost.add(block == 2 ? plan.chunkCount() - 1 : repairChunks.get(block * repairs).index());
        }
        TransferReceiver receiver = new TransferReceiver(dir.resolve("in"), codec);
        List<Received> received = deliver(receiver, sent, index -> lost.contains(index));

        List<Delivery> delivered = received.stream().flatMap(r -> r.delivery().stream()).toList();
        assertThat(delivered).singleElement().satisfies(d -> assertThat(Files.readAllBytes(d.body())).isEqualTo(original));
        assertThat(receiver.rebuiltChunks()).isEqualTo(3L * (repairs - 1) + 1);
        List<TransferReport> reports = received.stream().flatMap(r -> r.report().stream()).toList();
        assertThat(reports).as("complete, then each checkpoint answered complete").allSatisfy(r -> assertThat(r.complete()).isTrue());
        reports.forEach(report -> assertThat(sender.answer(report, Instant.EPOCH)).as("nothing sent again").isEmpty());
        assertThat(sender.pending()).isZero();
        assertThat(measured.loss()).as("what the answer to the checkpoint says was lost")
                .isCloseTo((double) lost.size() / (plan.chunkCount() + 3 * repairs), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(dir.resolve("in").resolve(plan.transferId()).resolve("repairs")).doesNotExist();
    }

    @Test
    void aCorruptedRepairChunkIsRefusedByItsDigestAndWhatItCouldNotRebuildIsSentAgain() throws IOException {
        Path body = RandomBodies.write(dir, 8 * CHUNK, 2);
        byte[] original = Files.readAllBytes(body);
        OutgoingTransfers sender = outgoing(twentyPercent);
        List<Envelope> sent = send(sender, body);
        List<Chunk> repairChunks = repairs(sent);
        assertThat(repairChunks).extracting(Chunk::index).containsExactly(8, 9, 10);
        List<Envelope> onTheLink = new ArrayList<>();
        for (Envelope envelope : sent) {
            int index = index(envelope);
            if (index == 3 || index == 9 || index == 10) {
                continue; // lost: one data chunk and two repair chunks
            }
            if (index == 8 || index == 5) {
                byte[] damaged = envelope.body().clone();
                damaged[100] ^= 1;
                envelope = new Envelope(envelope.id(), envelope.type(), envelope.correlationId(), envelope.outpost(), envelope.tenant(),
                        envelope.createdAt(), envelope.priority(), envelope.expiresAt(), envelope.headers(), damaged);
            }
            onTheLink.add(envelope);
        }
        TransferReceiver receiver = new TransferReceiver(dir.resolve("in"), codec);
        List<TransferReport> reports = new ArrayList<>();
        onTheLink.forEach(envelope -> receiver.accept(envelope).report().ifPresent(reports::add));

        assertThat(receiver.rebuiltChunks()).as("the damaged repair chunk was not used").isZero();
        assertThat(reports).hasSize(OutgoingTransfers.CLOSING_CHECKPOINTS).allSatisfy(r -> {
            assertThat(r.complete()).isFalse();
            assertThat(r.missing(8).stream().toArray()).containsExactly(3, 5);
        });
        List<Envelope> resent = sender.answer(reports.get(0), Instant.EPOCH);
        assertThat(resent).extracting(ErasureCodedTransferTest::index).as("the resend round is coded too, its repairs numbered on")
                .startsWith(3, 5, 11);
        assertThat(repairs(resent)).first().satisfies(repair -> assertThat(repair.covers())
                .containsExactly(new TransferReport.Range(3, 3), new TransferReport.Range(5, 5)));
        Optional<Delivery> delivered = resent.stream().map(e -> receiver.accept(codec.decode(codec.encode(e))).delivery())
                .flatMap(Optional::stream).findFirst();
        assertThat(delivered).get().satisfies(d -> assertThat(Files.readAllBytes(d.body())).isEqualTo(original));
    }

    @Test
    void repairChunksThatCameBeforeTheStartRebuildTheBlockOnceItComes() throws IOException {
        Path body = RandomBodies.write(dir, 8 * CHUNK - 5, 3);
        byte[] original = Files.readAllBytes(body);
        OutgoingTransfers sender = outgoing(twentyPercent);
        List<Envelope> sent = send(sender, body);
        TransferReceiver receiver = new TransferReceiver(dir.resolve("in"), codec);
        // the start, its checkpoints and two chunks lost
        sent.stream().filter(e -> index(e) >= 0 && index(e) != 0 && index(e) != 7).forEach(receiver::accept);

        List<Envelope> checkpoints = sender.checkpoints(Instant.now().plusSeconds(60), Duration.ofSeconds(30));
        Received afterStart = receiver.accept(codec.decode(codec.encode(checkpoints.get(0))));

        assertThat(afterStart.delivery()).get().satisfies(d -> assertThat(Files.readAllBytes(d.body())).isEqualTo(original));
        assertThat(receiver.rebuiltChunks()).isEqualTo(2);
    }

    @Test
    void aLinkThatLosesNothingIsNotCodedUntilTheReportsMeasureLoss() throws IOException {
        RepairPolicy measuring = new RepairPolicy(0, Duration.ofSeconds(3), 16_000, new MeasuredLoss());
        OutgoingTransfers sender = outgoing(measuring);
        List<Envelope> first = send(sender, RandomBodies.write(dir, 60 * CHUNK, 4));
        assertThat(first).extracting(Envelope::type).doesNotContain(MessageTypes.REPAIR_CHUNK);
        TransferReceiver receiver = new TransferReceiver(dir.resolve("in"), codec);
        List<Received> received = deliver(receiver, first, index -> index % 5 == 2);
        TransferReport answer = received.stream().flatMap(r -> r.report().stream()).findFirst().orElseThrow();
        assertThat(answer.heard()).isEqualTo(48);
        sender.answer(answer, Instant.EPOCH);

        assertThat(measuring.loss()).as("12 of 60 chunks lost: enough to go on").isCloseTo(0.2, org.assertj.core.data.Offset.offset(1e-9));
        List<Envelope> second = send(sender, RandomBodies.write(dir, 10 * CHUNK, 5));
        assertThat(second).extracting(Envelope::type).contains(MessageTypes.REPAIR_CHUNK);
    }

    private static List<Chunk> repairs(List<Envelope> sent) {
        return sent.stream().filter(e -> e.type().equals(MessageTypes.REPAIR_CHUNK)).map(e -> Messages.read(e, Chunk.class)).toList();
    }

    /** Chunk index of a chunk or repair chunk, -1 for anything else. */
    private static int index(Envelope envelope) {
        return envelope.type().equals(MessageTypes.CHUNK) || envelope.type().equals(MessageTypes.REPAIR_CHUNK)
                ? Messages.read(envelope, Chunk.class).index() : -1;
    }

    /** Everything sent but the chunks {@code lost} names, in order, as the receiver makes of it. */
    private List<Received> deliver(TransferReceiver receiver, List<Envelope> sent, IntPredicate lost) {
        List<Received> received = new ArrayList<>();
        for (Envelope envelope : sent) {
            int index = index(envelope);
            if (index < 0 || !lost.test(index)) {
                received.add(receiver.accept(envelope));
            }
        }
        return received;
    }

    private OutgoingTransfers outgoing(RepairPolicy policy) {
        return new OutgoingTransfers(dir.resolve("out"), codec, new TransferSender(CHUNK), policy);
    }

    private List<Envelope> send(OutgoingTransfers sender, Path body) {
        Envelope message = new Envelope(java.util.UUID.randomUUID().toString(), "ImageBlob", "request-1", "polar-1", "outpost", Instant.EPOCH, 4,
                null, Messages.headers(Map.of("digest", "sha256:" + "a".repeat(64))), null);
        List<Envelope> sent = new ArrayList<>();
        sender.send(message, body, Instant.EPOCH).forEachRemaining(envelope -> sent.add(codec.decode(codec.encode(envelope))));
        return sent;
    }
}
