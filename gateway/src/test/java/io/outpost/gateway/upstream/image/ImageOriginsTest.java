package io.outpost.gateway.upstream.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.registry.RegistryEndpoint;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImageOriginsTest {
    @Test
    void onDockerHubAOnePartNameIsAnOfficialImageAndOneClientServesEveryGlobOfAnOrigin() {
        Map<String, RegistryEndpoint> globs = new LinkedHashMap<>();
        globs.put("nginx", RegistryEndpoint.of("docker.io"));
        globs.put("library/**", RegistryEndpoint.of("docker.io"));
        globs.put("team/**", RegistryEndpoint.of("https://registry.example"));
        ImageOrigins origins = new ImageOrigins(globs);

        assertThat(origins.originOf("nginx")).get().extracting(ImageOrigins.Origin::repository).isEqualTo("library/nginx");
        assertThat(origins.originOf("library/redis")).get().extracting(ImageOrigins.Origin::repository).isEqualTo("library/redis");
        assertThat(origins.originOf("team/web")).get().extracting(ImageOrigins.Origin::repository).isEqualTo("team/web");
        assertThat(origins.originOf("nginx").get().registry()).as("one client, one token cache, per origin registry")
                .isSameAs(origins.originOf("library/redis").get().registry());
        assertThat(origins.originOf("other/app")).isEmpty();
    }

    @Test
    void platformsAreCheckedAndOneIsNeeded() {
        ImageOrigins origins = new ImageOrigins(Map.of("team/**", RegistryEndpoint.of("https://registry.example")));
        assertThat(origins.platforms()).containsExactly("linux/amd64");
        assertThat(origins.platforms(java.util.List.of("linux/amd64", "linux/arm64/v8")).platforms()).containsExactly("linux/amd64", "linux/arm64/v8");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> origins.platforms(java.util.List.of("amd64"))).hasMessageContaining("os/arch");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> origins.platforms(java.util.List.of())).hasMessageContaining("at least one");
    }
}
