package io.outpost.cli;

import io.outpost.registry.RegistryEndpoint;
import picocli.CommandLine.Option;

/** The outpost's local registry, for the outpost gateway and the worker. */
final class LocalRegistryOption {
    @Option(names = "--registry", description = {"URL of the outpost's local registry, e.g. http://127.0.0.1:5000; configs see its host:port",
            "as var.outpost_registry (default: none; image requests then fail)."})
    String registry;

    /** Null when none was given. */
    RegistryEndpoint endpoint() {
        return registry == null ? null : RegistryEndpoint.of(registry);
    }
}
