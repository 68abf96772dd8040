package io.outpost.link.trust;

import io.outpost.content.Digests;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * Signs every frame a site puts on the link and checks every frame it takes off it. The signature covers
 * the whole frame (through its sha256) — the envelope's headers, with the digests of bundles, blobs and
 * provider archives, and its body — plus the signer's name and the time of signing, and travels as a trailer:
 * {@code frame | signedAt (8 bytes, epoch ms) | signature (64) | signer | signer length (1) | crc32 (4) | "OSG2"}.
 * The CRC-32 of everything before it tells a frame the link damaged (refused as {@code corrupted}, which counts as
 * lost) from one that was made to deceive (its CRC holds and its signature does not: {@code bad-signature}).
 * {@code OSG1} frames, without the CRC, are still read.
 * A frame is refused when it has no trailer, its signer is not trusted, its signature does not verify,
 * it was signed more than the replay window ago (or too far in the future), or the same frame was
 * already accepted within the window.
 */
public final class FrameSignatures {
    private static final byte[] MAGIC = "OSG2".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MAGIC_WITHOUT_CRC = "OSG1".getBytes(StandardCharsets.US_ASCII);
    private static final int CRC_BYTES = 4;
    private static final int SIGNATURE_BYTES = 64;
    private static final Duration FUTURE_SKEW = Duration.ofHours(1);

    private final SiteKeys own;
    private final String peer;
    private final TrustedKeys trusted;
    private final SeenFrames seen;
    private final Duration window;
    private final Clock clock;

    /**
     * @param peer the site at the other end of this link: the only signer accepted, even among trusted ones
     * @param window how long a frame stays valid after signing, and so how long it is remembered against replay
     */
    public FrameSignatures(SiteKeys own, String peer, TrustedKeys trusted, SeenFrames seen, Duration window, Clock clock) {
        this.own = own;
        this.peer = peer;
        this.trusted = trusted;
        this.seen = seen;
        this.window = window;
        this.clock = clock;
    }

    /** A frame that passed every check, ready to decode; {@link #accepted} it once applied. */
    public record Opened(byte[] frame, String signer, Instant signedAt, String replayKey) {
    }

    public byte[] sign(byte[] frame) {
        return sign(frame, 0);
    }

    /**
     * Copy {@code copy} of {@code frame}, signed {@code copy} milliseconds on: a copy sent on purpose has a signature
     * of its own, so it is not taken for a replay of the first.
     */
    public byte[] sign(byte[] frame, int copy) {
        byte[] signer = own.site().getBytes(StandardCharsets.US_ASCII);
        long signedAt = clock.millis() + copy;
        byte[] signature = own.sign(signed(frame, frame.length, signedAt, signer));
        ByteBuffer out = ByteBuffer.allocate(frame.length + 8 + SIGNATURE_BYTES + signer.length + 1 + CRC_BYTES + MAGIC.length);
        out.put(frame).putLong(signedAt).put(signature).put(signer).put((byte) signer.length);
        out.putInt((int) crc32(out.array(), out.position())).put(MAGIC);
        return out.array();
    }

    /** Who says they signed {@code signedFrame}, before any check of the signature: what the upstream routes a frame of its fleet by. */
    public static String signerOf(byte[] signedFrame) {
        int end = signerEnd(signedFrame);
        return new String(signedFrame, end - 1 - (signedFrame[end - 1] & 0xff), signedFrame[end - 1] & 0xff, StandardCharsets.US_ASCII);
    }

    public Opened open(byte[] signedFrame) {
        int end = signerEnd(signedFrame);
        int signerLength = signedFrame[end - 1] & 0xff;
        int signerStart = end - 1 - signerLength;
        int frameEnd = signerStart - SIGNATURE_BYTES - 8;
        int signatureStart = signerStart - SIGNATURE_BYTES;
        byte[] signerBytes = Arrays.copyOfRange(signedFrame, signerStart, end - 1);
        String signer = new String(signerBytes, StandardCharsets.US_ASCII);
        long signedAt = ByteBuffer.wrap(signedFrame, frameEnd, 8).getLong();
        byte[] signature = Arrays.copyOfRange(signedFrame, signatureStart, signerStart);
        if (!signer.equals(peer)) {
            throw new FrameRejectedException(FrameRejectedException.Reason.UNTRUSTED,
                    "the frame is signed by '" + signer + "'; this link carries frames of '" + peer + "' only");
        }
        Optional<PublicKeyLine> key = trusted.of(signer);
        if (key.isEmpty()) {
            throw new FrameRejectedException(FrameRejectedException.Reason.UNTRUSTED,
                    "the frame is signed by '" + signer + "', whose key this site does not trust");
        }
        if (!SiteKeys.verify(key.get().key(), signed(signedFrame, frameEnd, signedAt, signerBytes), signature)) {
            throw new FrameRejectedException(FrameRejectedException.Reason.BAD_SIGNATURE,
                    "the frame's signature does not verify with the trusted key of '" + signer + "' (" + key.get().fingerprint() + ")");
        }
        Instant at = Instant.ofEpochMilli(signedAt);
        Instant now = clock.instant();
        if (at.plus(window).isBefore(now) || at.isAfter(now.plus(FUTURE_SKEW))) {
            throw new FrameRejectedException(FrameRejectedException.Reason.EXPIRED,
                    "the frame was signed by '" + signer + "' at " + at + ", outside the replay window of " + window + " around " + now);
        }
        String replayKey = Base64.getEncoder().withoutPadding().encodeToString(signature);
        if (seen.contains(replayKey, at.plus(window), now)) {
            throw new FrameRejectedException(FrameRejectedException.Reason.REPLAYED,
                    "the frame signed by '" + signer + "' at " + at + " was already accepted (or is older than what a lost seen-frames log knew)");
        }
        return new Opened(Arrays.copyOf(signedFrame, frameEnd), signer, at, replayKey);
    }

    /** Remembers an applied frame until its window closes, so the same frame is refused if it comes again. */
    public void accepted(Opened opened) {
        seen.add(opened.replayKey(), opened.signedAt().plus(window));
    }

    /** Where the trailer's signer name ends (its length byte follows), once the frame's CRC and the trailer's length hold. */
    private static int signerEnd(byte[] signedFrame) {
        int end = signedFrame.length - MAGIC.length;
        if (end >= CRC_BYTES && Arrays.equals(signedFrame, end, signedFrame.length, MAGIC, 0, MAGIC.length)) {
            end -= CRC_BYTES;
            if ((int) crc32(signedFrame, end) != ByteBuffer.wrap(signedFrame, end, CRC_BYTES).getInt()) {
                throw new FrameRejectedException(FrameRejectedException.Reason.CORRUPTED, "the frame was damaged on the link (its CRC-32 does not match)");
            }
        } else if (end < 1 || !Arrays.equals(signedFrame, end, signedFrame.length, MAGIC_WITHOUT_CRC, 0, MAGIC_WITHOUT_CRC.length)) {
            throw new FrameRejectedException(FrameRejectedException.Reason.UNSIGNED, "the frame carries no signature");
        }
        if (end < 1 || end - 1 - (signedFrame[end - 1] & 0xff) - SIGNATURE_BYTES - 8 < 0) {
            throw new FrameRejectedException(FrameRejectedException.Reason.UNSIGNED, "the frame's signature trailer is cut short");
        }
        return end;
    }

    private static long crc32(byte[] bytes, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, length);
        return crc.getValue();
    }

    /** What is signed: the frame's sha256 (Ed25519 would hash a 256 KiB chunk twice; this once), the time and the signer. */
    private static byte[] signed(byte[] frame, int frameLength, long signedAt, byte[] signer) {
        MessageDigest sha256 = Digests.sha256();
        sha256.update(frame, 0, frameLength);
        return ByteBuffer.allocate(32 + 8 + signer.length).put(sha256.digest()).putLong(signedAt).put(signer).array();
    }
}
