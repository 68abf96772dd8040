package io.outpost.protocol.transfer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outpost.protocol.Envelope;
import io.outpost.protocol.EnvelopeCodec;
import io.outpost.protocol.MalformedMessageException;
import io.outpost.protocol.MessageTypes;
import io.outpost.protocol.Messages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransferTest {
    private static final int CHUNK = 16 * 1024;
    private final EnvelopeCodec codec = new EnvelopeCodec(CHUNK);

    @TempDir
    Path dir;

    @Test
    void aSmallBodyTravelsInsideItsMessage() throws IOException {
        Path body = file(1000, 1);
        List<Envelope> sent = send(body);

        assertThat(sent).singleElement().satisfies(envelope -> assertThat(envelope.type()).isEqualTo("GitBundle"));
        Optional<Delivery> delivered = new TransferReceiver(dir.resolve("in"), codec).accept(sent.get(0)).delivery();
        assertThat(delivered).get().satisfies(d -> assertThat(Files.readAllBytes(d.body())).isEqualTo(Files.readAllBytes(body)));
    }

    @Test
    void aLargeBodyArrivesWholeThoughItsChunksComeShuffledAndDuplicated() throws IOException {
        Path body = file(5 * CHUNK + 123, 2);
        List<Envelope> sent = send(body);
        assertThat(sent).as("start, six chunks, the end-of-round checkpoint twice").hasSize(1 + 6 + OutgoingTransfers.CLOSING_CHECKPOINTS);
        List<Envelope> onTheLink = new ArrayList<>(sent);
        onTheLink.addAll(sent.subList(2, 4));
        Collections.shuffle(onTheLink, new Random(7));

        TransferReceiver receiver = new TransferReceiver(dir.resolve("in"), codec);
        List<Delivery> delivered = new ArrayList<>();
        onTheLink.forEach(envelope -> receiver.accept(envelope).delivery().ifPresent(delivered::add));

        assertThat(delivered).singleElement().satisfies(d -> {
            assertThat(d.message().type()).isEqualTo("GitBundle");
            assertThat(d.message().correlationId()).isEqualTo("request-1");
            assertThat(d.message().tenant()).as("the tenant crosses with the transfer").isEqualTo("blue");
            assertThat(Files.readAllBytes(d.body())).isEqualTo(Files.readAllBytes(body));
        });
    }

    @Test
    void aCorruptedChunkIsDroppedAndTheTransferWaitsForAGoodCopy() throws IOException {
        Path body = file(3 * CHUNK, 3);
        List<Envelope> sent = send(body);
        Envelope good = sent.get(2);
        byte[] flipped = good.body().clone();
        flipped[100] ^= 0x40;
        Envelope corrupted = new Envelope(good.id(), good.type(), good.correlationId(), good.outpost(), good.tenant(), good.createdAt(),
                good.priority(), good.expiresAt(), good.headers(), flipped);

        TransferReceiver receiver = new TransferReceiver(dir.resolve("in"), codec);
        for (Envelope envelope : sent) {
            assertThat(receiver.accept(envelope == good ? corrupted : envelope).delivery()).isEmpty();
        }
        assertThat(receiver.accept(good).delivery()).get().satisfies(d -> assertThat(Files.readAllBytes(d.body())).isEqualTo(Files.readAllBytes(body)));
    }

    @Test
    void aReceiverKilledMidTransferResumesWithTheChunksItHad() throws IOException {
        Path body = file(4 * CHUNK, 4);
        List<Envelope> sent = send(body);
        new TransferReceiver(dir.resolve("in"), codec).accept(sent.get(0));
        new TransferReceiver(dir.resolve("in"), codec).accept(sent.get(1));
        new TransferReceiver(dir.resolve("in"), codec).accept(sent.get(2));

        TransferReceiver restarted = new TransferReceiver(dir.resolve("in"), codec);
        String transferId = Messages.read(sent.get(0), TransferStart.class).transferId();
        assertThat(restarted.snapshot(transferId).received()).containsExactly(new TransferReport.Range(0, 1));
        assertThat(restarted.accept(sent.get(3)).delivery()).isEmpty();
        assertThat(restarted.accept(sent.get(4)).delivery()).get()
                .satisfies(d -> assertThat(Files.readAllBytes(d.body())).isEqualTo(Files.readAllBytes(body)));
        assertThat(restarted.accept(sent.get(4)).delivery()).as("a late duplicate after completion").isEmpty();
    }

    @Test
    void chunksThatPassTheirOwnCheckButNotTheWholeDigestAreRefused() throws IOException {
        Path body = file(2 * CHUNK, 5);
        List<Envelope> sent = send(body);
        TransferStart start = Messages.read(sent.get(0), TransferStart.class);
        TransferStart lying = new TransferStart(start.transferId(), start.size(), "0".repeat(64), start.chunkSize(),
                start.carriedType(), start.carriedHeaders(), false, 0);
        Envelope lyingStart = new Envelope(sent.get(0).id(), MessageTypes.TRANSFER_START, "request-1", "o", "blue", Instant.EPOCH, 4, null,
                Messages.headers(lying), null);

        TransferReceiver receiver = new TransferReceiver(dir.resolve("in"), codec);
        receiver.accept(lyingStart);
        receiver.accept(sent.get(1));
        assertThatThrownBy(() -> receiver.accept(sent.get(2))).isInstanceOf(MalformedMessageException.class)
                .hasMessageContaining("end-to-end digest");
    }

    @Test
    void lostChunksAreReportedAndOnlyThoseAreSentAgainEvenAfterTheSenderRestarts() throws IOException {
        Path body = file(8 * CHUNK + 10, 6);
        byte[] original = Files.readAllBytes(body);
        List<Envelope> sent = send(body);
        TransferReceiver receiver = new TransferReceiver(dir.resolve("in"), codec);
        List<TransferReport> reports = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            if (i != 3 && i != 4 && i != 7) {
                receiver.accept(sent.get(i)).report().ifPresent(reports::add);
            }
        }
        assertThat(reports).as("each copy of the end-of-round checkpoint came after the gaps: a final report each, for round 1").hasSize(2)
                .allSatisfy(report -> {
                    assertThat(report.isFinal()).isTrue();
                    assertThat(report.round()).isEqualTo(1);
                    assertThat(report.missing(9).stream().toArray()).containsExactly(2, 3, 6);
                });

        OutgoingTransfers restartedSender = outgoing();
        List<Envelope> resent = restartedSender.answer(reports.get(0), Instant.EPOCH);
        assertThat(resent).extracting(Envelope::type).containsExactly("Chunk", "Chunk", "Chunk", "TransferStart", "TransferStart");
        assertThat(Messages.read(resent.get(3), TransferStart.class).round()).as("the resend is round 2").isEqualTo(2);
        TransferReport secondCopy = io.outpost.protocol.Json.MAPPER.readValue(io.outpost.protocol.Json.MAPPER.writeValueAsBytes(reports.get(1)),
                TransferReport.class);
        assertThat(restartedSender.answer(secondCopy, Instant.EPOCH)).as("the second report of round 1, as it crosses, sends nothing again").isEmpty();
        List<Received> received = new ArrayList<>();
        for (Envelope envelope : resent) {
            received.add(receiver.accept(codec.decode(codec.encode(envelope))));
        }
        Received last = received.get(2);
        assertThat(last.delivery()).get().satisfies(d -> assertThat(Files.readAllBytes(d.body())).isEqualTo(original));
        assertThat(last.report()).get().satisfies(r -> assertThat(r.complete()).isTrue());
        assertThat(restartedSender.pending()).isEqualTo(1);
        assertThat(restartedSender.answer(last.report().get(), Instant.EPOCH)).isEmpty();
        assertThat(restartedSender.pending()).as("forgotten once complete").isZero();
    }

    @Test
    void whenOneCopyOfTheCheckpointIsLostTheOtherBringsTheFinalReportAtOnce() throws IOException {
        List<Envelope> sent = send(file(4 * CHUNK, 11));
        TransferReceiver receiver = new TransferReceiver(dir.resolve("in"), codec);
        List<TransferReport> reports = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            if (i != 2 && i != sent.size() - OutgoingTransfers.CLOSING_CHECKPOINTS) {
                receiver.accept(sent.get(i)).report().ifPresent(reports::add);
            }
        }

        assertThat(reports).as("no timer: the second copy is answered").singleElement().satisfies(report -> {
            assertThat(report.isFinal()).isTrue();
            assertThat(report.missing(4).stream().toArray()).containsExactly(1);
        });
        assertThat(outgoing().answer(reports.get(0), Instant.EPOCH)).extracting(Envelope::type).startsWith("Chunk", "TransferStart");
    }

    @Test
    void whenTheEndOfRoundCheckpointIsLostTheGapsAreReportedAfterAGrace() throws IOException {
        List<Envelope> sent = send(file(4 * CHUNK, 8));
        TransferReceiver receiver = new TransferReceiver(dir.resolve("in"), codec);
        List<TransferReport> reports = new ArrayList<>();
        for (int i = 0; i < sent.size() - OutgoingTransfers.CLOSING_CHECKPOINTS; i++) {
            if (i != 2) {
                receiver.accept(sent.get(i)).report().ifPresent(reports::add);
            }
        }
        assertThat(reports).as("no report while stragglers may still come").isEmpty();
        reports.addAll(receiver.reportsDue(Instant.now().plusSeconds(5), Duration.ofSeconds(2), Duration.ofMinutes(1), Instant.EPOCH));
        assertThat(reports).singleElement().satisfies(report -> assertThat(report.missing(4).stream().toArray()).containsExactly(1));
    }

    @Test
    void aTransferWhoseStartWasLostIsRecoveredByACheckpoint() throws IOException {
        Path body = file(3 * CHUNK, 7);
        List<Envelope> sent = send(body);
        TransferReceiver receiver = new TransferReceiver(dir.resolve("in"), codec);
        sent.subList(1, sent.size() - OutgoingTransfers.CLOSING_CHECKPOINTS).forEach(receiver::accept);

        OutgoingTransfers sender = outgoing();
        List<Envelope> checkpoints = sender.checkpoints(Instant.now().plusSeconds(60), Duration.ofSeconds(30));
        assertThat(checkpoints).extracting(Envelope::type).containsExactly("TransferStart");
        Received afterStart = receiver.accept(codec.decode(codec.encode(checkpoints.get(0))));

        assertThat(afterStart.delivery()).as("the chunks were all there").isPresent();
    }

    @Test
    void aBodyStillBeingSentIsRecognisedSoItIsNotSentTwice() throws IOException {
        send(file(3 * CHUNK, 9));
        OutgoingTransfers sender = outgoing();
        assertThat(sender.sending("GitBundle", "repo", "infra")).isTrue();
        assertThat(sender.sending("GitBundle", "repo", "other")).isFalse();
        sender.answer(TransferReport.completed(Messages.read(send(file(3 * CHUNK, 10)).get(0), TransferStart.class).transferId()), Instant.EPOCH);
        assertThat(sender.pending()).as("one completed, one still going").isEqualTo(1);
    }

    private OutgoingTransfers outgoing() {
        return new OutgoingTransfers(dir.resolve("out"), codec, new TransferSender(CHUNK));
    }

    /** Sends a copy of {@code body}: the sender keeps the file it is given until the transfer completes. */
    private List<Envelope> send(Path body) throws IOException {
        Path sent = Files.copy(body, body.resolveSibling(body.getFileName() + ".sending"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return sendOwned(sent);
    }

    private List<Envelope> sendOwned(Path body) {
        Envelope message = new Envelope("answer-1", "GitBundle", "request-1", "polar-1", "blue", Instant.EPOCH, 4,
                Instant.EPOCH.plus(Duration.ofHours(1)), Messages.headers(Map.of("repo", "infra")), null);
        List<Envelope> sent = new ArrayList<>();
        outgoing().send(message, body, Instant.EPOCH).forEachRemaining(envelope -> sent.add(codec.decode(codec.encode(envelope))));
        return sent;
    }

    private Path file(int size, long seed) throws IOException {
        return RandomBodies.write(dir, size, seed);
    }
}
