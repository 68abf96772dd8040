package io.outpost.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Why something could not be had: the one list of error codes, carried by {@link ErrorReply} across the
 * link and by a failed {@link Ready} to the workers, which decide on it (never on a message's wording).
 * The wire form ({@link #code()}) is stable for scripts.
 */
public enum ErrorCode {
    /** The origin wants credentials the upstream does not have, or refused the ones it has. */
    UNAUTHORIZED("unauthorized", true),
    /** Not on the allowlist of this outpost or tenant, or the origin does not let the upstream's login have it. */
    FORBIDDEN("forbidden", true),
    /** The origin has no such repo, ref, image, platform or provider version. */
    NOT_FOUND("not-found", true),
    /** The origin asked to be asked less often; worth asking again later. */
    RATE_LIMITED("rate-limited", false),
    /** The origin did not answer; worth asking again later (identical requests back off at the outpost). */
    ORIGIN_UNAVAILABLE("origin-unavailable", false),
    /** The signature policy wants the image signed by one of its keys, and no signature of it verifies. */
    NOT_SIGNED("not-signed", true),
    /** The request itself made no sense. */
    BAD_REQUEST("bad-request", true),
    /** The request outlived its TTL before it could be answered. */
    EXPIRED("expired", false),
    /** What the origin served does not match what it published about it. */
    CHECKSUM_MISMATCH("checksum-mismatch", true),
    /** A disk at one of the sites is full. */
    INSUFFICIENT_STORAGE("insufficient-storage", false),
    /** What arrived at the outpost failed its checks (a digest, a bundle's objects); nothing was applied. */
    REJECTED("rejected", false),
    /** A service at the outpost (its registry) did not answer. */
    LOCAL_UNAVAILABLE("local-unavailable", false),
    /**
     * Upstream's ledger of what the outpost holds cannot add up the request's {@link Holdings} (the ledger lost,
     * the outpost restored from an older backup): the outpost sends the request again at once with its whole record.
     */
    HOLDINGS_UNKNOWN("holdings-unknown", false),
    /** The outpost is not set up for the request (no local registry, a namespace it may not use); runs wait until an operator sets it up. */
    NOT_CONFIGURED("not-configured", false);

    private final String code;
    private final boolean permanent;

    ErrorCode(String code, boolean permanent) {
        this.code = code;
        this.permanent = permanent;
    }

    @JsonValue
    public String code() {
        return code;
    }

    /** True when asking again, or waiting longer, cannot bring what failed: a run fails rather than ends pending. */
    public boolean permanent() {
        return permanent;
    }

    /**
     * What an origin's HTTP status means for the outpost: 401 unauthorized, 403 forbidden, 404 not found, 429
     * rate-limited; anything else (0 for no answer) origin-unavailable, worth asking again.
     */
    public static ErrorCode ofOriginStatus(int status) {
        return switch (status) {
            case 401 -> UNAUTHORIZED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 429 -> RATE_LIMITED;
            default -> ORIGIN_UNAVAILABLE;
        };
    }

    @JsonCreator
    public static ErrorCode of(String code) {
        for (ErrorCode known : values()) {
            if (known.code.equals(code)) {
                return known;
            }
        }
        throw new IllegalArgumentException("unknown error code '" + code + "'");
    }

    @Override
    public String toString() {
        return code;
    }
}
