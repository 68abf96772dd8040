package io.outpost.txrxsim.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outpost.protocol.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OutageScheduleTest {
    private static final Instant CYCLE = Instant.parse("2026-11-23T10:00:00Z");

    private static Duration seconds(String text) {
        return Duration.ofSeconds(Long.parseLong(text.replace("s", "")));
    }

    @Test
    void aPeriodicScheduleIsUpThenDownEachCycle() {
        OutageSchedule windows = OutageSchedule.parse("up 40s every 60s", OutageScheduleTest::seconds);
        assertThat(windows.isUp(CYCLE.plusSeconds(39))).isTrue();
        assertThat(windows.isUp(CYCLE.plusSeconds(40))).isFalse();
        assertThat(windows.nextUp(CYCLE.plusSeconds(45))).isEqualTo(CYCLE.plusSeconds(60));
        assertThat(windows.upUntil(CYCLE.plusSeconds(10))).contains(CYCLE.plusSeconds(40));
    }

    @Test
    void explicitOutagesAreDownOnlyThen() {
        OutageSchedule windows = OutageSchedule.parse("down 2026-11-23T10:00:10Z+20s, 2026-11-23T10:01:00Z+5s", OutageScheduleTest::seconds);
        assertThat(windows.isUp(CYCLE)).isTrue();
        assertThat(windows.nextUp(CYCLE.plusSeconds(15))).isEqualTo(CYCLE.plusSeconds(30));
        assertThat(windows.upUntil(CYCLE.plusSeconds(31))).contains(CYCLE.plusSeconds(60));
        assertThat(windows.isUp(CYCLE.plusSeconds(62))).isFalse();
    }

    @Test
    void nonsenseIsRefusedWithTheFormToUse() {
        assertThatThrownBy(() -> OutageSchedule.parse("sometimes", OutageScheduleTest::seconds)).hasMessageContaining("up 40s every 60s");
        assertThatThrownBy(() -> OutageSchedule.parse("up 70s every 60s", OutageScheduleTest::seconds)).hasMessageContaining("up for a part");
    }

    @Test
    void nothingCrossesDuringAnOutageAndATransmissionDoesNotRunIntoOne() {
        TestClock clock = new TestClock(CYCLE.plusSeconds(45));
        OutageSchedule windows = OutageSchedule.parse("up 40s every 60s", OutageScheduleTest::seconds);
        LinkSchedule link = new LinkSchedule(new LinkSettings(Duration.ofSeconds(1), Duration.ZERO, 1_000_000, LinkFaults.NONE, windows, 1L),
                clock, new Random(1));
        assertThat(link.arrivalOf(1_000_000)).as("waits for the window, 1 s on the link, 1 s of delay").isEqualTo(CYCLE.plusSeconds(62));

        clock.advance(Duration.ofSeconds(50));
        assertThat(link.arrivalOf(10_000_000)).as("10 s would run past the window at 100 s: waits for 120 s")
                .isEqualTo(CYCLE.plusSeconds(131));
    }
}
