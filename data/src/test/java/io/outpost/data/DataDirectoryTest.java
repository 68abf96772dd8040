package io.outpost.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The data layout the README's table documents: scripts, backups and operators rely on these paths. */
class DataDirectoryTest {
    private final DataDirectory data = new DataDirectory(Path.of("/srv/outpost"));

    @Test
    void eachSiteKeepsItsStateInItsOwnFolder() {
        SiteData outpost = data.outpost();
        assertThat(outpost.dir()).isEqualTo(Path.of("/srv/outpost/outpost"));
        assertThat(outpost.keys()).isEqualTo(Path.of("/srv/outpost/outpost/keys"));
        assertThat(outpost.brokerTrustStore()).isEqualTo(Path.of("/srv/outpost/outpost/tls/ca-trust.p12"));
        assertThat(outpost.brokerPassword("worker-blue")).isEqualTo(Path.of("/srv/outpost/outpost/broker-users/worker-blue.password"));
        assertThat(outpost.transfersIn()).isEqualTo(Path.of("/srv/outpost/outpost/transfers"));
        assertThat(data.upstream().transfersOut()).isEqualTo(Path.of("/srv/outpost/upstream/outgoing"));
        assertThat(data.upstream().subscriptions()).isEqualTo(Path.of("/srv/outpost/upstream/subscriptions"));
        assertThat(data.linkStats()).isEqualTo(Path.of("/srv/outpost/link/stats.json"));
        assertThat(data.originGit()).isEqualTo(Path.of("/srv/outpost/upstream/origin/git"));
    }

    @Test
    void aTenantsNamespaceMirrorsTheOutpostsOwnUnderTenants() {
        NamespaceData own = data.outpost().namespace("");
        NamespaceData blue = data.outpost().namespace("blue");
        assertThat(own.localRemote("demo-config")).isEqualTo(Path.of("/srv/outpost/outpost/git/demo-config.git"));
        assertThat(blue.localRemote("demo-config")).isEqualTo(Path.of("/srv/outpost/outpost/tenants/blue/git/demo-config.git"));
        assertThat(blue.runs("demo")).isEqualTo(Path.of("/srv/outpost/outpost/tenants/blue/worker/demo/runs.jsonl"));
        assertThat(own.parked("g1")).isEqualTo(Path.of("/srv/outpost/outpost/parked/g1"));
    }

    @Test
    void thereAreTwoSites() {
        assertThat(data.site("upstream")).isEqualTo(data.upstream());
        assertThatThrownBy(() -> data.site("../etc")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'../etc'");
    }
}
