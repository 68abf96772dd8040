package io.outpost.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class RegistryEndpointTest {
    @Test
    void credentialsInTheUrlBecomeBasicAuthAndNeverShow() {
        RegistryEndpoint endpoint = RegistryEndpoint.of("https://ci%40team:s3cr%3At@registry.example:8443");
        assertThat(endpoint.url()).isEqualTo(URI.create("https://registry.example:8443"));
        assertThat(endpoint.user()).isEqualTo("ci@team");
        assertThat(endpoint.password()).isEqualTo("s3cr:t");
        assertThat(endpoint.address()).isEqualTo("registry.example:8443");
        assertThat(endpoint.toString()).doesNotContain("s3cr");
    }

    @Test
    void onlyHttpAndHttpsAreRegistries() {
        assertThatThrownBy(() -> RegistryEndpoint.of("ftp://registry.example")).hasMessageContaining("http or https");
    }

    @Test
    void dockerHubIsReachedAtItsApiHost() {
        for (String name : new String[] {"docker.io", "https://docker.io", "https://index.docker.io"}) {
            RegistryEndpoint hub = RegistryEndpoint.of(name);
            assertThat(hub.url()).isEqualTo(URI.create("https://registry-1.docker.io"));
            assertThat(hub.dockerHub()).isTrue();
        }
        assertThat(RegistryEndpoint.of("https://ghcr.io").dockerHub()).isFalse();
    }
}
