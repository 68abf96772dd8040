package io.outpost.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
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
}
