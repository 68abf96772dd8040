package io.outpost.gateway.upstream.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outpost.data.SiteData;
import io.outpost.gateway.upstream.TenantAllowlists;
import io.outpost.link.trust.SiteKeys;
import io.outpost.link.trust.TrustedKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fleet's files, as the commands write them and the running upstream reads them. */
class FleetTest {
    @TempDir
    Path dir;

    private SiteData upstream() {
        return new SiteData(dir.resolve("upstream"));
    }

    private SiteKeys outpostKeys(String name) {
        return SiteKeys.loadOrCreate(dir.resolve(name).resolve("keys"), name);
    }

    @Test
    void anOutpostAddedIsTrustedWithinItsGrantsAndARemovedOneNoLonger() {
        Fleet fleet = new Fleet(upstream());
        TenantAllowlists.Grant configOnly = new TenantAllowlists.Grant(List.of("config"), List.of("team/**"));
        fleet.add(outpostKeys("ship-1").publicKey(), configOnly, Map.of("blue", new TenantAllowlists.Grant(List.of("config"), List.of())));
        fleet.add(outpostKeys("ship-2").publicKey(), FleetMember.EVERYTHING, Map.of());

        assertThat(fleet.members()).extracting(FleetMember::outpost).containsExactly("ship-1", "ship-2");
        FleetMember one = fleet.member("ship-1").orElseThrow();
        assertThat(one.allowlists().allowsRepo("", "config")).isTrue();
        assertThat(one.allowlists().allowsRepo("", "notes")).as("not granted to ship-1").isFalse();
        assertThat(one.allowlists().allowsImage("blue", "team/web")).as("within ship-1's grant, but not blue's").isFalse();
        assertThat(TrustedKeys.in(upstream().keys()).of("ship-1")).contains(outpostKeys("ship-1").publicKey());

        assertThat(fleet.suspend("ship-2", true).suspended()).isTrue();
        assertThat(fleet.member("ship-2").orElseThrow().suspended()).isTrue();
        fleet.remove("ship-1");
        assertThat(fleet.members()).extracting(FleetMember::outpost).containsExactly("ship-2");
        assertThat(TrustedKeys.in(upstream().keys()).of("ship-1")).as("its key no longer trusted").isEmpty();
        assertThatThrownBy(() -> fleet.remove("ship-1")).hasMessageContaining("not in this upstream's fleet");
    }

    @Test
    void aDamagedFileLeavesOnlyItsOutpostUnserved() throws Exception {
        Fleet fleet = new Fleet(upstream());
        fleet.add(outpostKeys("ship-1").publicKey(), FleetMember.EVERYTHING, Map.of());
        Files.writeString(upstream().fleet().resolve("ship-2.json"), "{\"outpost\": \"ship-2\", \"grant\": ");
        Files.writeString(upstream().fleet().resolve("ship-3.json"), Files.readString(upstream().fleet().resolve("ship-1.json")));

        assertThat(fleet.members()).extracting(FleetMember::outpost).as("ship-3's file names ship-1").containsExactly("ship-1");
    }

    @Test
    void theServedFleetStartsEachOutpostAddedOnce() {
        Fleet fleet = new Fleet(upstream());
        List<String> started = new ArrayList<>();
        java.util.concurrent.ExecutorService pushing = java.util.concurrent.Executors.newSingleThreadExecutor();
        ServedFleet served = new ServedFleet(fleet::members, member -> {
            started.add(member.outpost());
            return new ServedOutpost(member, null, null, null);
        }, pushing, new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
        fleet.add(outpostKeys("ship-1").publicKey(), FleetMember.EVERYTHING, Map.of());
        served.sync();
        assertThat(served.outposts()).containsExactly("ship-1");

        fleet.add(outpostKeys("ship-2").publicKey(), FleetMember.EVERYTHING, Map.of());
        served.sync();
        served.sync();
        assertThat(served.outposts()).containsExactly("ship-1", "ship-2");
        assertThat(started).as("each started once").containsExactly("ship-1", "ship-2");
        pushing.shutdown();
    }
}
