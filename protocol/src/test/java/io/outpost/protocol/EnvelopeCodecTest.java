package io.outpost.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outpost.content.Tenants;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EnvelopeCodecTest {
    private final EnvelopeCodec codec = new EnvelopeCodec(1024);

    @Test
    void anEnvelopeSurvivesEncodingWithItsHeadersAndBody() {
        Instant now = Instant.parse("2026-11-23T10:00:00Z");
        Envelope request = Envelope.request(MessageTypes.GIT_SYNC, "polar-1",
                Messages.headers(new GitSync("infra", List.of("refs/heads/main"), Map.of("refs/heads/main", "a".repeat(40)))),
                now, Duration.ofMinutes(5));
        Envelope reply = request.reply(MessageTypes.GIT_BUNDLE, Messages.headers(new GitBundle("infra", Map.of("refs/heads/main", "b".repeat(40)))),
                new byte[] {1, 2, 3}, now.plusSeconds(1));

        Envelope decoded = codec.decode(codec.encode(reply));

        assertThat(decoded.id()).isEqualTo(reply.id());
        assertThat(decoded.correlationId()).isEqualTo(request.id());
        assertThat(decoded.expiresAt()).isEqualTo(now.plus(Duration.ofMinutes(5)));
        assertThat(decoded.body()).containsExactly(1, 2, 3);
        assertThat(Messages.read(decoded, GitBundle.class).tips()).containsEntry("refs/heads/main", "b".repeat(40));
    }

    @Test
    void theCodecSaysWhereAFramesBodyStarts() {
        Envelope message = Envelope.request(MessageTypes.GIT_SYNC, "polar-1", Messages.headers(Map.of("repo", "infra")), Instant.EPOCH, Duration.ofMinutes(5));
        byte[] frame = codec.encode(new Envelope(message.id(), MessageTypes.GIT_BUNDLE, message.id(), "polar-1", message.tenant(), Instant.EPOCH, 4, null,
                message.headers(), new byte[] {7, 8, 9}));
        int start = EnvelopeCodec.bodyStart(frame);
        assertThat(java.util.Arrays.copyOfRange(frame, start, frame.length)).containsExactly(7, 8, 9);
        assertThat(EnvelopeCodec.bodyStart(new byte[] {1, 2, 3})).isEqualTo(-1);
        assertThat(EnvelopeCodec.bodyStart("OPE1\u007f\u007f\u007f\u007f".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))).isEqualTo(-1);
    }

    @Test
    void aTenantTravelsWithTheConversationAndTheOutpostsOwnIsLeftOut() {
        Envelope request = Envelope.request(MessageTypes.IMAGE_PULL, "polar-1", "blue", Messages.headers(Map.of()), Instant.EPOCH, Duration.ofMinutes(1));
        Envelope reply = codec.decode(codec.encode(request.reply(MessageTypes.ERROR, Messages.headers(Map.of()), null, Instant.EPOCH)));
        byte[] own = codec.encode(Envelope.request(MessageTypes.IMAGE_PULL, "polar-1", Messages.headers(Map.of()), Instant.EPOCH, Duration.ofMinutes(1)));

        assertThat(reply.tenant()).isEqualTo("blue");
        assertThat(EnvelopeCodec.headerJson(own)).doesNotContain("tenant");
        assertThat(codec.decode(own).tenant()).isEqualTo(Tenants.OUTPOST);
    }

    @Test
    void aHeaderCrossesCompressedToAThirdOfItsJson() {
        Envelope request = Envelope.request(MessageTypes.GIT_SYNC, "polar-1", Messages.headers(new GitSync("infra", List.of(), Map.of())),
                Instant.parse("2026-11-23T10:00:00.123456789Z"), Duration.ofHours(1));
        byte[] frame = codec.encode(request.reply(MessageTypes.GIT_BUNDLE,
                Messages.headers(new GitBundle("demo-config", Map.of("refs/heads/main", "6c785d3a1b2c3d4e5f60718293a4b5c6d7e8f901"))), new byte[] {1},
                Instant.parse("2026-11-23T10:00:04.987654321Z")));

        int json = EnvelopeCodec.headerJson(frame).length();
        assertThat(EnvelopeCodec.bodyStart(frame) - 8).isLessThan(json * 2 / 5);
        assertThat(codec.decode(frame).createdAt()).isEqualTo(Instant.parse("2026-11-23T10:00:04.987Z"));
    }

    @Test
    void aFrameOfTheFirstFormatIsStillRead() {
        byte[] plain = frame("OPE1", "{\"id\":\"1\",\"type\":\"GitSync\",\"correlationId\":\"1\",\"outpost\":\"o\",\"createdAt\":\"2026-01-01T00:00:00Z\","
                + "\"headers\":{\"repo\":\"infra\"}}", 0);

        assertThat(Messages.read(codec.decode(plain), GitSync.class).repo()).isEqualTo("infra");
        assertThat(EnvelopeCodec.bodyStart(plain)).isEqualTo(plain.length);
    }

    @Test
    void aHeaderThatInflatesPastTheLimitIsRefusedUnexpanded() {
        java.util.zip.Deflater deflater = new java.util.zip.Deflater(9, true);
        deflater.setInput(new byte[EnvelopeCodec.MAX_HEADER_BYTES * 4]);
        deflater.finish();
        byte[] bomb = new byte[4096];
        int length = deflater.deflate(bomb);
        byte[] frame = ByteBuffer.allocate(8 + length).put("OPE2".getBytes(StandardCharsets.US_ASCII)).putInt(length).put(bomb, 0, length).array();

        assertThatThrownBy(() -> codec.decode(frame)).isInstanceOf(MalformedMessageException.class).hasMessageContaining("inflate past");
    }

    static Stream<Arguments> malformedFrames() {
        return Stream.of(
                Arguments.of("empty", new byte[0], "too short"),
                Arguments.of("wrong magic", frame("XXXX", "{}", 0), "bad magic"),
                Arguments.of("header longer than frame", ByteBuffer.allocate(12).put("OPE1".getBytes()).putInt(900).array(), "out of bounds"),
                Arguments.of("header not JSON", frame("OPE1", "{nope", 0), "not JSON"),
                Arguments.of("header not deflated", frame("OPE2", "\u00ff\u00ff\u00ff", 0), "not a deflate stream"),
                Arguments.of("headers missing", frame("OPE1", "{\"id\":\"1\"}", 0), "'headers' object"),
                Arguments.of("type missing", frame("OPE1", "{\"id\":\"1\",\"headers\":{}}", 0), "'type'"),
                Arguments.of("bad time", frame("OPE1", "{\"id\":\"1\",\"type\":\"t\",\"correlationId\":\"1\",\"outpost\":\"o\",\"createdAt\":\"yesterday\",\"headers\":{}}", 0), "ISO-8601"),
                Arguments.of("tenant outside its namespace", frame("OPE1", "{\"id\":\"1\",\"type\":\"t\",\"correlationId\":\"1\",\"outpost\":\"o\",\"tenant\":\"../green\",\"createdAt\":\"2026-01-01T00:00:00Z\",\"headers\":{}}", 0), "illegal tenant"),
                Arguments.of("body over limit", frame("OPE1", "{\"id\":\"1\",\"type\":\"t\",\"correlationId\":\"1\",\"outpost\":\"o\",\"createdAt\":\"2026-01-01T00:00:00Z\",\"headers\":{}}", 2048), "over the limit"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedFrames")
    void aMalformedFrameIsRefusedWithAReason(String name, byte[] frame, String reason) {
        assertThatThrownBy(() -> codec.decode(frame)).isInstanceOf(MalformedMessageException.class).hasMessageContaining(reason);
    }

    @Test
    void randomGarbageAndMutatedFramesNeverFailOtherwiseThanMalformed() {
        Random random = new Random(20261123);
        byte[] valid = codec.encode(Envelope.request(MessageTypes.GIT_SYNC, "o",
                Messages.headers(new GitSync("infra", List.of(), Map.of())), Instant.EPOCH, Duration.ofMinutes(1)));
        for (int i = 0; i < 5_000; i++) {
            byte[] frame = i % 2 == 0 ? randomBytes(random, random.nextInt(200)) : mutate(valid, random);
            try {
                Envelope decoded = codec.decode(frame);
                Messages.read(decoded, GitSync.class);
            } catch (MalformedMessageException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
    }

    @Test
    void typedHeadersThatBreakTheirRulesAreMalformed() {
        Envelope hostile = new Envelope("1", MessageTypes.GIT_SYNC, "1", "o", Tenants.OUTPOST, Instant.EPOCH, 4, null,
                Messages.headers(Map.of("repo", "../../etc", "refs", List.of("refs/heads/main"))), null);
        assertThatThrownBy(() -> Messages.read(hostile, GitSync.class))
                .isInstanceOf(MalformedMessageException.class).hasMessageContaining("illegal repo name");
    }

    private static byte[] frame(String magic, String header, int bodyLength) {
        byte[] head = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + head.length + bodyLength).put(magic.getBytes(StandardCharsets.US_ASCII))
                .putInt(head.length).put(head).array();
    }

    private static byte[] randomBytes(Random random, int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] mutate(byte[] frame, Random random) {
        byte[] copy = frame.clone();
        for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
            copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
        }
        return copy;
    }
}
