package io.outpost.iacworker;

import io.outpost.protocol.Ready;
import java.util.concurrent.CompletableFuture;

/**
 * Asks the outpost gateway for an image for a platform (os/arch, or "all"); the future completes with
 * the gateway's ready event for it.
 */
@FunctionalInterface
public interface ImagePullClient {
    CompletableFuture<Ready> pull(String repository, String reference, String platform);
}
