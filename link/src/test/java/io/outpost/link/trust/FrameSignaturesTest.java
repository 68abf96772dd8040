package io.outpost.link.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outpost.brokerclient.DeadLetters;
import io.outpost.data.DataDirectory;
import io.outpost.protocol.TestClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FrameSignaturesTest {
    private static final Duration WINDOW = Duration.ofDays(7);
    private static final byte[] FRAME = "a frame: headers and a body".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path data;
    private final TestClock clock = new TestClock(Instant.parse("2026-11-23T12:00:00Z"));
    private FrameSignatures upstream;
    private FrameSignatures outpost;

    @BeforeEach
    void twoSitesThatTrustEachOther() {
        SiteKeys upstreamKeys = SiteKeys.loadOrCreate(new DataDirectory(data).upstream().keys(), "upstream");
        SiteKeys outpostKeys = SiteKeys.loadOrCreate(new DataDirectory(data).outpost().keys(), "polar-1");
        TrustedKeys.of(outpostKeys).trust(upstreamKeys.publicKey());
        TrustedKeys.of(upstreamKeys).trust(outpostKeys.publicKey());
        upstream = signatures(upstreamKeys, "upstream", "polar-1");
        outpost = signatures(outpostKeys, "outpost", "upstream");
    }

    private FrameSignatures signatures(SiteKeys keys, String site, String peer) {
        return new FrameSignatures(keys, peer, TrustedKeys.of(keys), new SeenFrames(data.resolve(site + "/seen-frames.log"), clock.instant()),
                WINDOW, clock);
    }

    @Test
    void aFrameSignedByATrustedSiteOpensToExactlyWhatWasSigned() {
        FrameSignatures.Opened opened = outpost.open(upstream.sign(FRAME));

        assertThat(opened.frame()).isEqualTo(FRAME);
        assertThat(opened.signer()).isEqualTo("upstream");
    }

    @Test
    void aCopySentOnPurposeIsSignedOnItsOwnSoItIsNotTakenForAReplay() {
        byte[] first = upstream.sign(FRAME, 0);
        byte[] copy = upstream.sign(FRAME, 1);
        outpost.accepted(outpost.open(first));

        FrameSignatures.Opened opened = outpost.open(copy);
        assertThat(opened.frame()).isEqualTo(FRAME);
        outpost.accepted(opened);
        assertRefused(() -> outpost.open(copy), FrameRejectedException.Reason.REPLAYED);
    }

    @Test
    void everyByteOfTheFrameAndItsTrailerIsCovered() {
        byte[] signed = upstream.sign(FRAME);
        for (int i = 0; i < signed.length; i++) {
            byte[] flipped = signed.clone();
            flipped[i] ^= 0x01;
            assertThatThrownBy(() -> outpost.open(flipped)).as("byte %d flipped", i).isInstanceOf(FrameRejectedException.class);
        }
    }

    @Test
    void unsignedUntrustedAndForgedFramesAreRefusedEachWithItsReason() {
        SiteKeys stranger = SiteKeys.loadOrCreate(data.resolve("stranger/keys"), "stranger");
        SiteKeys impostor = SiteKeys.loadOrCreate(data.resolve("impostor/keys"), "upstream");

        assertRefused(() -> outpost.open(FRAME), FrameRejectedException.Reason.UNSIGNED);
        assertRefused(() -> outpost.open(signatures(stranger, "stranger", "upstream").sign(FRAME)), FrameRejectedException.Reason.UNTRUSTED);
        assertRefused(() -> outpost.open(signatures(impostor, "impostor", "polar-1").sign(FRAME)), FrameRejectedException.Reason.BAD_SIGNATURE);
    }

    @Test
    void aFrameSignedByAnotherTrustedSiteThanThisLinksPeerIsRefused() {
        SiteKeys otherOutpost = SiteKeys.loadOrCreate(data.resolve("polar-2/keys"), "polar-2");
        SiteKeys upstreamKeys = SiteKeys.loadOrCreate(new DataDirectory(data).upstream().keys(), "upstream");
        TrustedKeys.of(upstreamKeys).trust(otherOutpost.publicKey());

        assertRefused(() -> upstream.open(signatures(otherOutpost, "polar-2", "upstream").sign(FRAME)), FrameRejectedException.Reason.UNTRUSTED);
    }

    @Test
    void aFrameAcceptedOnceIsRefusedAsAReplayEvenAfterARestartButASecondSendingOfTheSameMessageIsNot() {
        byte[] signed = upstream.sign(FRAME);
        outpost.accepted(outpost.open(signed));

        assertRefused(() -> outpost.open(signed), FrameRejectedException.Reason.REPLAYED);
        SiteKeys outpostKeys = SiteKeys.loadOrCreate(new DataDirectory(data).outpost().keys(), "polar-1");
        assertRefused(() -> signatures(outpostKeys, "outpost", "upstream").open(signed), FrameRejectedException.Reason.REPLAYED);
        clock.advance(Duration.ofMillis(1));
        assertThat(outpost.open(upstream.sign(FRAME)).frame()).as("the same message sent again, signed anew").isEqualTo(FRAME);
    }

    @Test
    void aLostOrGarbledSeenFramesLogDoesNotOpenTheReplayWindowAgain() throws Exception {
        byte[] signed = upstream.sign(FRAME);
        outpost.accepted(outpost.open(signed));
        clock.advance(Duration.ofMillis(1));
        SiteKeys outpostKeys = SiteKeys.loadOrCreate(new DataDirectory(data).outpost().keys(), "polar-1");
        Path log = data.resolve("outpost/seen-frames.log");

        java.nio.file.Files.delete(log);
        FrameSignatures afterLoss = signatures(outpostKeys, "outpost", "upstream");
        assertRefused(() -> afterLoss.open(signed), FrameRejectedException.Reason.REPLAYED);
        assertThat(afterLoss.open(upstream.sign(FRAME)).frame()).as("a frame signed after the newest the lost log knew").isEqualTo(FRAME);

        java.nio.file.Files.write(log, new byte[] {(byte) 0xff, (byte) 0xfe, 'x', '\n', '1', '2', ' '});
        FrameSignatures afterGarbling = signatures(outpostKeys, "outpost", "upstream");
        assertRefused(() -> afterGarbling.open(signed), FrameRejectedException.Reason.REPLAYED);
    }

    @Test
    void aFrameTheLinkDamagedIsToldFromAForgery() {
        byte[] signed = upstream.sign(FRAME);
        // (a byte of the magic itself damaged reads as a frame without a signature)
        for (int at = 0; at < signed.length - 4; at += 7) {
            byte[] damaged = signed.clone();
            damaged[at] ^= 0x04;
            assertRefused(() -> outpost.open(damaged), FrameRejectedException.Reason.CORRUPTED);
        }
        byte[] forged = upstream.sign(FRAME);
        forged[3] ^= 0x04;
        java.nio.ByteBuffer trailer = java.nio.ByteBuffer.wrap(forged, forged.length - 8, 4);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(forged, 0, forged.length - 8);
        trailer.putInt((int) crc.getValue());
        assertRefused(() -> outpost.open(forged), FrameRejectedException.Reason.BAD_SIGNATURE);
    }

    @Test
    void everyRefusalThatReachesTheDeadQueueIsAKindItsGaugeCounts() {
        for (FrameRejectedException.Reason reason : FrameRejectedException.Reason.values()) {
            boolean dropped = reason == FrameRejectedException.Reason.REPLAYED || reason == FrameRejectedException.Reason.CORRUPTED;
            assertThat(DeadLetters.KINDS.contains(reason.tag())).as(reason.tag()).isEqualTo(!dropped);
        }
    }

    @Test
    void aFrameSignedByAnEarlierBuildWithoutTheCrcIsStillRead() {
        byte[] signed = upstream.sign(FRAME);
        byte[] earlier = Arrays.copyOf(signed, signed.length - 4);
        System.arraycopy("OSG1".getBytes(StandardCharsets.US_ASCII), 0, earlier, earlier.length - 4, 4);
        assertThat(outpost.open(earlier).frame()).isEqualTo(FRAME);
    }

    @Test
    void aFrameSignedLongerAgoThanTheWindowOrFarInTheFutureHasExpired() {
        byte[] old = upstream.sign(FRAME);
        clock.advance(WINDOW.plusSeconds(1));
        assertRefused(() -> outpost.open(old), FrameRejectedException.Reason.EXPIRED);

        byte[] early = upstream.sign(FRAME);
        clock.advance(Duration.ofHours(-2));
        assertRefused(() -> outpost.open(early), FrameRejectedException.Reason.EXPIRED);
    }

    @Test
    void garbageOfAnyShapeIsRefusedNeverThrowsAnythingElse() {
        Random random = new Random(20261123L);
        byte[] signed = upstream.sign(FRAME);
        for (int i = 0; i < 2_000; i++) {
            byte[] garbage = i % 2 == 0 ? new byte[random.nextInt(200)] : Arrays.copyOf(signed, random.nextInt(signed.length));
            if (i % 2 == 0) {
                random.nextBytes(garbage);
                if (garbage.length > 4 && random.nextBoolean()) {
                    System.arraycopy((random.nextBoolean() ? "OSG1" : "OSG2").getBytes(StandardCharsets.US_ASCII), 0, garbage, garbage.length - 4, 4);
                }
            }
            assertThatThrownBy(() -> outpost.open(garbage)).as("garbage %d", i).isInstanceOf(FrameRejectedException.class);
        }
    }

    private static void assertRefused(ThrowableAssert.ThrowingCallable open, FrameRejectedException.Reason reason) {
        assertThatThrownBy(open).isInstanceOfSatisfying(FrameRejectedException.class, e -> assertThat(e.reason()).isEqualTo(reason));
    }
}
