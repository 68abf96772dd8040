package io.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MirrorConfigsTest {
    private static final Path CA = Path.of("/etc/outpost/ca.pem");
    private static final List<String> REGISTRIES = List.of("docker.io", "ghcr.io");

    @Test
    void containerdGetsAHostsFilePerRegistryWithTheFrontFirstAndItsCa() {
        List<MirrorConfigs.File> files = MirrorConfigs.of(MirrorConfigs.Runtime.CONTAINERD, "10.0.0.5:5761", CA, REGISTRIES);

        assertThat(files).extracting(MirrorConfigs.File::path)
                .containsExactly("/etc/containerd/certs.d/docker.io/hosts.toml", "/etc/containerd/certs.d/ghcr.io/hosts.toml");
        assertThat(files.get(0).content()).contains("server = \"https://registry-1.docker.io\"").contains("[host.\"https://10.0.0.5:5761\"]")
                .contains("capabilities = [\"pull\", \"resolve\"]").contains("ca = \"/etc/outpost/ca.pem\"");
        assertThat(files.get(1).content()).contains("server = \"https://ghcr.io\"");
    }

    @Test
    void k3sDockerAndPodmanEachGetTheirOwnFormat() {
        assertThat(MirrorConfigs.of(MirrorConfigs.Runtime.K3S, "10.0.0.5:5761", CA, REGISTRIES).get(0).content())
                .contains("  \"ghcr.io\":\n    endpoint:\n      - \"https://10.0.0.5:5761\"").contains("ca_file: \"/etc/outpost/ca.pem\"");
        MirrorConfigs.File docker = MirrorConfigs.of(MirrorConfigs.Runtime.DOCKER, "10.0.0.5:5761", CA, REGISTRIES).get(0);
        assertThat(docker.content()).contains("\"registry-mirrors\": [\"https://10.0.0.5:5761\"]");
        assertThat(docker.then()).contains("/etc/docker/certs.d/10.0.0.5:5761/ca.crt").contains("Docker Hub only").contains("ghcr.io");
        assertThat(MirrorConfigs.of(MirrorConfigs.Runtime.PODMAN, "10.0.0.5:5761", CA, REGISTRIES).get(0).content())
                .contains("prefix = \"ghcr.io\"").contains("[[registry.mirror]]\nlocation = \"10.0.0.5:5761\"");
    }

    @Test
    void aRuntimeOrRegistriesItCannotServeAreClearErrors() {
        assertThatThrownBy(() -> MirrorConfigs.runtime("cri-o")).hasMessageContaining("containerd, k3s, docker or podman");
        assertThatThrownBy(() -> MirrorConfigs.of(MirrorConfigs.Runtime.PODMAN, "10.0.0.5:5761", CA, List.of())).hasMessageContaining("--mirror-of");
    }
}
