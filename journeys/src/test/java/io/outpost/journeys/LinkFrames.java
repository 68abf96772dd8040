package io.outpost.journeys;

import io.outpost.data.DataDirectory;
import io.outpost.link.trust.FrameSignatures;
import io.outpost.link.trust.SeenFrames;
import io.outpost.link.trust.SiteKeys;
import io.outpost.link.trust.TrustedKeys;
import io.outpost.protocol.Envelope;
import io.outpost.protocol.EnvelopeCodec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Reads the signed frames the link carries to an outpost, as the outpost would (for tests that watch or alter the link). */
final class LinkFrames {
    private final FrameSignatures signatures;
    private final EnvelopeCodec codec;

    /** @param data the data directory whose outpost site, named {@code outpost}, already trusts the upstream */
    LinkFrames(Path data, String outpost, int chunkSize) {
        SiteKeys keys = SiteKeys.loadOrCreate(new DataDirectory(data).outpost().keys(), outpost);
        this.signatures = new FrameSignatures(keys, "upstream", TrustedKeys.of(keys), new SeenFrames(data.resolve("test-frames-seen.log"), Instant.now()),
                Duration.ofDays(1), Clock.systemUTC());
        this.codec = new EnvelopeCodec(chunkSize);
    }

    Envelope decode(byte[] signedFrame) {
        return codec.decode(unsigned(signedFrame));
    }

    /**
     * {@code envelope} as upstream would send it, signed with upstream's own key: what a compromised upstream (or one without
     * the outpost's checks) could send.
     */
    byte[] signedByUpstream(Path data, Envelope envelope) {
        SiteKeys upstream = SiteKeys.loadOrCreate(new DataDirectory(data).upstream().keys(), "upstream");
        FrameSignatures asUpstream = new FrameSignatures(upstream, envelope.outpost(), TrustedKeys.of(upstream),
                new SeenFrames(data.resolve("test-frames-sent.log"), Instant.now()), Duration.ofDays(1), Clock.systemUTC());
        return asUpstream.sign(codec.encode(envelope));
    }

    /** The frame inside the signature, checked. */
    byte[] unsigned(byte[] signedFrame) {
        return signatures.open(signedFrame).frame();
    }
}
