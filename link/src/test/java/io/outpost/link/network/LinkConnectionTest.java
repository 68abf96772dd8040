package io.outpost.link.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.outpost.link.LinkDirection;
import io.outpost.link.OutageSchedule;
import io.outpost.protocol.TestClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinkConnectionTest {
    private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");

    @TempDir
    Path dir;

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final TestClock clock = new TestClock(START);

    @Test
    void theFirstConnectionIsNotAReconnectAndEachComebackIs() {
        LinkConnection link = new LinkConnection("shore:61617", meters, dir.resolve("connection.json"), LinkGovernor.unlimited(), clock);
        assertThat(link.state().connected()).as("not before the first connection").isFalse();
        clock.set(START.plusSeconds(2));
        link.opened();
        clock.set(START.plusSeconds(60));
        link.lost();
        assertThat(link.state()).extracting(LinkConnection.State::connected, LinkConnection.State::since, LinkConnection.State::reconnects)
                .containsExactly(false, START.plusSeconds(60), 0L);
        clock.set(START.plusSeconds(80));
        link.back();
        // the connection given up and a new one made is a reconnect too
        clock.set(START.plusSeconds(90));
        link.lost();
        link.opened();
        assertThat(link.state()).extracting(LinkConnection.State::connected, LinkConnection.State::since, LinkConnection.State::reconnects)
                .containsExactly(true, START.plusSeconds(90), 2L);
        assertThat(meters.get("outpost.link.connected").gauge().value()).isEqualTo(1);
        assertThat(meters.get("outpost.link.reconnects").functionCounter().count()).isEqualTo(2);
        assertThat(meters.get("outpost.link.state.changed").gauge().value()).isEqualTo(START.plusSeconds(90).getEpochSecond());
    }

    @Test
    void theStateStatusReadsIsWhatTheGatewaySawWithTheRoundTripAndTheBudget() {
        Path file = dir.resolve("link/connection.json");
        LinkGovernor governor = LinkGovernor.of(Map.of(), OutageSchedule.alwaysUp(), 10_000, dir.resolve("budget-spent"));
        governor.sent(LinkDirection.TO_OUTPOST, 4_000, START);
        LinkConnection link = new LinkConnection("shore:61617", meters, file, governor, clock);
        assertThat(meters.get("outpost.link.round.trip").gauge().value()).as("nothing measured yet").isNaN();
        link.opened();
        clock.set(START.plusSeconds(5));
        link.measured(Duration.ofMillis(612));

        LinkConnection.State read = LinkConnection.read(file).orElseThrow();
        assertThat(read).isEqualTo(link.state());
        assertThat(read.measuredRoundTrip()).contains(Duration.ofMillis(612));
        assertThat(read.budgetLeft()).isEqualTo(6_000);
        assertThat(meters.get("outpost.link.round.trip").gauge().value()).isEqualTo(0.612);
        assertThat(meters.get("outpost.link.budget.left").gauge().value()).isEqualTo(6_000);
    }

    @Test
    void noFileIsNoRealLinkAndABrokenOneIsReadAsNoneUntilItIsWrittenAgain() throws Exception {
        Path file = dir.resolve("connection.json");
        assertThat(LinkConnection.read(file)).isEmpty();
        Files.writeString(file, "{\"upstream\": \"sho");
        assertThat(LinkConnection.read(file)).isEmpty();
        LinkConnection link = new LinkConnection("shore:61617", meters, file, LinkGovernor.unlimited(), clock);
        link.record();
        assertThat(LinkConnection.read(file)).contains(link.state());
        assertThat(link.state().budgetLeft()).as("no budget").isEqualTo(-1);
        assertThat(meters.find("outpost.link.budget.left").gauge()).as("no budget gauge without a budget").isNull();
    }
}
