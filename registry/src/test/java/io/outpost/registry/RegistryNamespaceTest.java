package io.outpost.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outpost.content.Tenants;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tenants' repositories in one registry: each under its prefix, the outpost's own never under a tenant's. */
class RegistryNamespaceTest {
    private final List<String> tenants = List.of("blue", "green");

    @Test
    void aTenantsRepositoriesAreUnderItsPrefixWhateverTheyAreCalled() {
        RegistryNamespace blue = RegistryNamespace.of("blue", tenants);

        assertThat(blue.resolve("demo/web")).isEqualTo("blue/demo/web");
        assertThat(blue.resolve("green/web")).as("blue naming green's prefix stays in blue's").isEqualTo("blue/green/web");
    }

    @Test
    void theOutpostsOwnNamespaceMayNotReachIntoATenants() {
        RegistryNamespace own = RegistryNamespace.of(Tenants.OUTPOST, tenants);

        assertThat(own.resolve("demo/web")).isEqualTo("demo/web");
        assertThat(own.owns("green/web")).isFalse();
        assertThatThrownBy(() -> own.resolve("green/web")).hasMessageContaining("namespace of tenant 'green'");
        assertThat(own.owns("greenhouse/web")).as("a prefix is a whole path segment").isTrue();
    }

    @Test
    void hostileNamesAreRefusedBeforeTheyArePrefixed() {
        assertThatThrownBy(() -> RegistryNamespace.of("blue", tenants).resolve("../green/web")).hasMessageContaining("illegal repository");
        assertThatThrownBy(() -> RegistryNamespace.of("Blue/..", tenants)).hasMessageContaining("illegal tenant");
    }
}
