package io.outpost.cli;

import io.outpost.broker.InternalCa;
import io.outpost.data.DataDirectory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** At the outpost: the files that make a container runtime pull through the registry front. */
@Command(name = "mirror-config", mixinStandardHelpOptions = true,
        description = {"Print the files that make a container runtime at the outpost (containerd, k3s, Docker, podman) pull through the",
                "registry front, for the registries configs name: each file with its path and what to run after. Writes nothing."})
final class MirrorConfigCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--for", required = true, paramLabel = "RUNTIME", description = "containerd, k3s, docker or podman.")
    String runtime;

    @Option(names = "--mirror-of", split = ",", required = true, paramLabel = "REGISTRY",
            description = "The registries configs pull from, as images name them (docker.io, ghcr.io, registry.example:5000); repeat for more.")
    List<String> registries = new ArrayList<>();

    @Option(names = "--registry-front", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:5761",
            description = "The registry front as the runtime's machine reaches it (default: ${DEFAULT-VALUE}).")
    String front;

    @Option(names = "--ca", paramLabel = "FILE", description = "The outpost's CA certificate as the runtime's machine has it (default: DATA/outpost/tls/ca.pem).")
    Path ca;

    @Override
    public Integer call() {
        Path certificate = ca != null ? ca : new DataDirectory(common.data.toAbsolutePath().normalize()).outpost().tls().resolve(InternalCa.CERTIFICATE_FILE);
        for (MirrorConfigs.File file : MirrorConfigs.of(MirrorConfigs.runtime(runtime), front, certificate, registries)) {
            System.out.println("# --- " + file.path());
            System.out.print(file.content());
            System.out.println("# then: " + file.then());
        }
        return 0;
    }
}
