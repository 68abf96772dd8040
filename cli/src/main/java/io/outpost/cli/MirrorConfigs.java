package io.outpost.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The files that make a container runtime at the outpost pull through its registry front: for each registry the
 * configs name (Docker Hub, GHCR, a company's), the front as that registry's mirror, trusted through the outpost's CA.
 * Each file is printed with the path it goes to and what to run after; the one owner of those formats.
 */
public final class MirrorConfigs {
    /** The runtimes Outpost writes mirror configuration for. */
    public enum Runtime { CONTAINERD, K3S, DOCKER, PODMAN }

    private static final String DOCKER_HUB = "docker.io";

    /** A file to write, where, and what to run once it is there. */
    public record File(String path, String content, String then) {
    }

    private MirrorConfigs() {
    }

    static Runtime runtime(String name) {
        try {
            return Runtime.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--for " + name + ": expected containerd, k3s, docker or podman");
        }
    }

    /**
     * @param front host:port of the registry front, as the runtime's machine reaches it
     * @param ca the outpost's CA certificate (PEM), as the runtime's machine has it
     * @param registries the registries configs name, host[:port] ({@code docker.io} for Docker Hub)
     */
    public static List<File> of(Runtime runtime, String front, Path ca, List<String> registries) {
        if (registries.isEmpty()) {
            throw new IllegalArgumentException("name the registries the configs pull from (--mirror-of docker.io,ghcr.io,...): the front mirrors each");
        }
        List<File> files = new ArrayList<>();
        switch (runtime) {
            case CONTAINERD -> {
                for (String registry : registries) {
                    files.add(new File("/etc/containerd/certs.d/" + registry + "/hosts.toml", """
                            # pulls of %s go to the outpost's registry front first
                            server = "%s"

                            [host."https://%s"]
                              capabilities = ["pull", "resolve"]
                              ca = "%s"
                            """.formatted(registry, upstreamUrl(registry), front, ca),
                            "containerd reads these when its CRI registry config_path is /etc/containerd/certs.d (restart containerd after setting it)"));
                }
            }
            case K3S -> {
                StringBuilder yaml = new StringBuilder("# pulls of these registries go to the outpost's registry front\nmirrors:\n");
                registries.forEach(registry -> yaml.append("  \"").append(registry).append("\":\n    endpoint:\n      - \"https://").append(front).append("\"\n"));
                yaml.append("configs:\n  \"").append(front).append("\":\n    tls:\n      ca_file: \"").append(ca).append("\"\n");
                files.add(new File("/etc/rancher/k3s/registries.yaml", yaml.toString(), "systemctl restart k3s (or k3s-agent)"));
            }
            case DOCKER -> {
                files.add(new File("/etc/docker/daemon.json", "{\n  \"registry-mirrors\": [\"https://" + front + "\"]\n}\n",
                        "install -D " + ca + " /etc/docker/certs.d/" + front + "/ca.crt && systemctl restart docker"
                                + (registries.equals(List.of(DOCKER_HUB)) ? "" : " (Docker mirrors Docker Hub only: name the outpost's front in images of "
                                + String.join(", ", registries.stream().filter(registry -> !registry.equals(DOCKER_HUB)).toList()) + ")")));
            }
            case PODMAN -> {
                StringBuilder toml = new StringBuilder("# pulls of these registries go to the outpost's registry front first\n");
                registries.forEach(registry -> toml.append("\n[[registry]]\nprefix = \"").append(registry).append("\"\nlocation = \"").append(registry)
                        .append("\"\n\n[[registry.mirror]]\nlocation = \"").append(front).append("\"\n"));
                files.add(new File("/etc/containers/registries.conf.d/outpost.conf", toml.toString(),
                        "install -D " + ca + " /etc/containers/certs.d/" + front + "/ca.crt (podman, skopeo, buildah and CRI-O read both)"));
            }
            default -> throw new IllegalStateException("unknown runtime " + runtime);
        }
        return files;
    }

    /** The registry a runtime would reach without the mirror. */
    private static String upstreamUrl(String registry) {
        return registry.equals(DOCKER_HUB) ? "https://registry-1.docker.io" : "https://" + registry;
    }
}
