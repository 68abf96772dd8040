package io.outpost.content.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class VersionConstraintTest {
    private static final List<ProviderVersion> AVAILABLE = List.of("1.0.0", "1.2.0", "1.2.7", "1.3.0", "2.0.0", "2.1.0-beta1").stream()
            .map(ProviderVersion::parse).toList();

    @Test
    void choosesTheNewestVersionTheConstraintAcceptsAsTerraformInitWould() {
        assertThat(newest("")).isEqualTo("2.0.0");
        assertThat(newest("~> 1.0")).isEqualTo("1.3.0");
        assertThat(newest("~> 1.2.0")).isEqualTo("1.2.7");
        assertThat(newest(">= 1.2, < 1.3, != 1.2.7")).isEqualTo("1.2.0");
        assertThat(newest("= 1.0.0")).isEqualTo("1.0.0");
        assertThat(newest("1.2.0")).isEqualTo("1.2.0");
        assertThat(newest("> 2.0.0")).as("pre-releases only when named").isEqualTo("none");
        assertThat(newest("2.1.0-beta1")).isEqualTo("2.1.0-beta1");
    }

    @Test
    void malformedConstraintsAndVersionsAreRefusedWithTheirText() {
        assertThatThrownBy(() -> VersionConstraint.parse("~> one")).hasMessageContaining("~> one");
        assertThatThrownBy(() -> ProviderVersion.parse("1.2")).hasMessageContaining("MAJOR.MINOR.PATCH");
    }

    @Test
    void sourcesAreCheckedAndCompareIgnoringCase() {
        assertThat(ProviderAddress.parse("Registry.Terraform.io/HashiCorp/null").toString()).isEqualTo("registry.terraform.io/hashicorp/null");
        assertThat(ProviderAddress.parse("terraform.io/builtin/terraform").builtin()).isTrue();
        assertThatThrownBy(() -> ProviderAddress.parse("registry.terraform.io/../null")).hasMessageContaining("namespace");
        assertThatThrownBy(() -> ProviderAddress.parse("hashicorp/null")).hasMessageContaining("HOSTNAME/NAMESPACE/TYPE");
    }

    private static String newest(String constraint) {
        return VersionConstraint.parse(constraint).newest(AVAILABLE).map(ProviderVersion::toString).orElse("none");
    }
}
