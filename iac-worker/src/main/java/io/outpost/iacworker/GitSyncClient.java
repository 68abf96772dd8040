package io.outpost.iacworker;

import io.outpost.protocol.Ready;
import java.util.concurrent.CompletableFuture;

/** Asks the outpost gateway to sync a repo; the future completes with the gateway's ready event. */
@FunctionalInterface
public interface GitSyncClient {
    CompletableFuture<Ready> sync(String repo, String ref);
}
