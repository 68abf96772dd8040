package io.outpost.gateway.upstream;

/** Upstream's ledger cannot add up a request's {@link io.outpost.protocol.Holdings}: the outpost must send its whole record. */
public final class HoldingsUnknownException extends RuntimeException {
    public HoldingsUnknownException(String message) {
        super(message);
    }
}
