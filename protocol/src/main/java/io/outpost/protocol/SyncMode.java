package io.outpost.protocol;


/**
 * How an outpost learns of new commits: it asks on every worker run ({@code PULL}: one round trip per
 * update), or it subscribes once and upstream sends each update unasked when the origin moves
 * ({@code PUSH}: one way per update).
 */
public enum SyncMode {
    PULL, PUSH
}
