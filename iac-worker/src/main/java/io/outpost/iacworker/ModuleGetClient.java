package io.outpost.iacworker;

import io.outpost.protocol.ModuleGet;
import io.outpost.protocol.Ready;
import java.util.concurrent.CompletableFuture;

/** Asks the outpost gateway for a module; the future completes with the gateway's ready event for it. */
@FunctionalInterface
public interface ModuleGetClient {
    CompletableFuture<Ready> pull(ModuleGet pull);
}
