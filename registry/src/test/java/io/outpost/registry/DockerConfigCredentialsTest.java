package io.outpost.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Docker's config.json as docker login, podman login and credential helpers leave it. */
class DockerConfigCredentialsTest {
    @TempDir
    Path dir;

    @Test
    void dockerHubsLoginIsFoundUnderTheKeyDockerLoginWrites() throws Exception {
        Path config = Files.writeString(dir.resolve("config.json"),
                "{\"auths\":{\"https://index.docker.io/v1/\":{\"auth\":\"bWU6aHViLXRva2Vu\"},\"ghcr.io\":{\"username\":\"octo\",\"password\":\"pat\"}}}");
        DockerConfigCredentials logins = new DockerConfigCredentials(config, List.of());

        assertThat(logins.loginFor("registry-1.docker.io")).get().extracting(RegistryCredentials.Login::user, RegistryCredentials.Login::secret)
                .containsExactly("me", "hub-token");
        assertThat(logins.loginFor("ghcr.io")).get().extracting(RegistryCredentials.Login::user).isEqualTo("octo");
        assertThat(logins.loginFor("quay.io")).isEmpty();
        assertThat(logins.loginFor("ghcr.io").get().toString()).doesNotContain("pat").contains(config.toString());
    }

    @Test
    void theFileIsPodmansAuthFileWhenSetElseDockersConfigDirElseHome() {
        Path home = dir.resolve("home");
        assertThat(DockerConfigCredentials.fromEnvironment(Map.of("REGISTRY_AUTH_FILE", "/run/containers/0/auth.json", "DOCKER_CONFIG", "/etc/docker"), home).file())
                .isEqualTo(Path.of("/run/containers/0/auth.json"));
        assertThat(DockerConfigCredentials.fromEnvironment(Map.of("DOCKER_CONFIG", "/etc/docker"), home).file()).isEqualTo(Path.of("/etc/docker/config.json"));
        assertThat(DockerConfigCredentials.fromEnvironment(Map.of(), home).file()).isEqualTo(home.resolve(".docker/config.json"));
    }

    @Test
    void noFileIsNoLoginAndABrokenOneSaysWhichFile() throws Exception {
        assertThat(new DockerConfigCredentials(dir.resolve("absent.json"), List.of()).loginFor("ghcr.io")).isEmpty();
        Path broken = Files.writeString(dir.resolve("broken.json"), "{\"auths\": {");

        assertThatThrownBy(() -> new DockerConfigCredentials(broken, List.of()).loginFor("ghcr.io"))
                .isInstanceOf(RegistryException.class).hasMessageContaining(broken.toString());
    }

    @Test
    void theEnvironmentNamesTheRegistryAsTerraformNamesItsTokenVariables() {
        EnvironmentCredentials environment = new EnvironmentCredentials(Map.of("OUTPOST_REGISTRY_USER_registry_example_5000", "ci",
                "OUTPOST_REGISTRY_PASSWORD_registry_example_5000", "secret"));

        assertThat(environment.loginFor("registry.example:5000")).get().extracting(RegistryCredentials.Login::user).isEqualTo("ci");
        assertThat(environment.loginFor("registry.example")).isEmpty();
    }
}
