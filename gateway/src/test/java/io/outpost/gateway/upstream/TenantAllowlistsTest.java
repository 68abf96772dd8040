package io.outpost.gateway.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outpost.content.Tenants;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What each tenant may have: its globs; the outpost's own namespace everything; an unnamed tenant nothing. */
class TenantAllowlistsTest {
    private final TenantAllowlists tenants = new TenantAllowlists(Map.of(
            "blue", new TenantAllowlists.Grant(List.of("blue-*"), List.of("blue-team/**"))));

    @Test
    void aTenantHasWhatItsGlobsMatchAndNothingElse() {
        assertThat(tenants.allowsRepo("blue", "blue-config")).isTrue();
        assertThat(tenants.allowsRepo("blue", "green-config")).isFalse();
        assertThat(tenants.allowsImage("blue", "blue-team/web/api")).isTrue();
        assertThat(tenants.allowsImage("blue", "blue-team")).as("** is below the prefix").isFalse();
        assertThat(tenants.allowsImage("blue", "green-team/web")).isFalse();
    }

    @Test
    void aTenantNotNamedHasNothingAndTheOutpostsOwnNamespaceEverything() {
        assertThat(tenants.allowsRepo("green", "blue-config")).isFalse();
        assertThat(tenants.allowsImage("green", "blue-team/web")).isFalse();
        assertThat(tenants.allowsRepo(Tenants.OUTPOST, "anything")).isTrue();
        assertThat(TenantAllowlists.none().allowsRepo("blue", "blue-config")).isFalse();
    }

    @Test
    void aTenantsNameIsCheckedBeforeItIsUsed() {
        assertThatThrownBy(() -> new TenantAllowlists(Map.of("../blue", new TenantAllowlists.Grant(List.of(), List.of()))))
                .hasMessageContaining("illegal tenant");
    }
}
