package io.outpost.link.trust;

import io.outpost.protocol.DeadLetterKind;


/** A frame from the link that this site does not accept: why, and under which reason it is counted. */
public final class FrameRejectedException extends RuntimeException implements DeadLetterKind {
    private static final long serialVersionUID = 1L;

    /** The reasons, as the {@code reason} tag of {@code outpost.link.rejected}. */
    public enum Reason {
        UNSIGNED("unsigned"), UNTRUSTED("untrusted"), BAD_SIGNATURE("bad-signature"), REPLAYED("replayed"), EXPIRED("expired"),
        /** Damaged on the link: counted, and otherwise treated as lost (the transfer layer sends it again). */
        CORRUPTED("corrupted"),
        /** Signed by one outpost and addressed as another (or, at an outpost, to another): never answered to either. */
        MISADDRESSED("misaddressed");

        private final String tag;

        Reason(String tag) {
            this.tag = tag;
        }

        public String tag() {
            return tag;
        }
    }

    private final Reason reason;

    public FrameRejectedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    @Override
    public String deadLetterKind() {
        return reason.tag();
    }
}
