package io.outpost.txrxsim.origin;

import java.time.Instant;

/** A release of the demo config at the origin: its number, commit and commit time. */
public record Release(int number, String commit, Instant at) {
    public String shortCommit() {
        return commit.substring(0, 7);
    }
}
