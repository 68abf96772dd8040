package io.outpost.iacworker;

import io.outpost.protocol.ProviderGet;
import io.outpost.protocol.Ready;
import java.util.concurrent.CompletableFuture;

/** Asks the outpost gateway for a provider; the future completes with the gateway's ready event for it. */
@FunctionalInterface
public interface ProviderGetClient {
    CompletableFuture<Ready> pull(ProviderGet pull);
}
