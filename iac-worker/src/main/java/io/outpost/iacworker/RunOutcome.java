package io.outpost.iacworker;


/** How an update run ended. */
public enum RunOutcome {
    /** Applied (or nothing to change): the stack matches the synced commit. */
    CONVERGED,
    /** Waiting on the link: what the run needs has not arrived yet. */
    PENDING,
    /** Something is wrong that waiting will not fix by itself; {@link RunRecord#error()} says what. */
    FAILED
}
