package io.outpost.link.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.link.LinkDirection;
import io.outpost.link.OutageSchedule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinkGovernorTest {
    private static final Instant CYCLE = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void aCappedDirectionCarriesItsRateOnAverageAndTheOtherIsFree() {
        LinkGovernor governor = LinkGovernor.of(Map.of(LinkDirection.TO_OUTPOST, 100_000L), OutageSchedule.alwaysUp());
        Instant now = CYCLE;
        for (int message = 0; message < 50; message++) {
            now = now.plus(governor.waitBefore(LinkDirection.TO_OUTPOST, 25_000, now));
            governor.sent(LinkDirection.TO_OUTPOST, 25_000, now);
        }
        // 50 x 25 kB = 1.25 MB at 100 kB/s, less the first second's worth the idle link had built up: 11.25 s
        assertThat(Duration.between(CYCLE, now)).isBetween(Duration.ofMillis(11_200), Duration.ofMillis(11_300));
        assertThat(governor.waitBefore(LinkDirection.TO_UPSTREAM, 10_000_000, now)).isZero();
    }

    @Test
    void aMessageLargerThanASecondsWorthStillGoesAndTheNextWaitsForTheDebt() {
        LinkGovernor governor = LinkGovernor.of(Map.of(LinkDirection.TO_UPSTREAM, 1_000L), OutageSchedule.alwaysUp());
        assertThat(governor.waitBefore(LinkDirection.TO_UPSTREAM, 5_000, CYCLE)).isZero();
        governor.sent(LinkDirection.TO_UPSTREAM, 5_000, CYCLE);
        assertThat(governor.waitBefore(LinkDirection.TO_UPSTREAM, 10, CYCLE)).isEqualTo(Duration.ofSeconds(4));
        assertThat(governor.waitBefore(LinkDirection.TO_UPSTREAM, 10, CYCLE.plusSeconds(4))).isZero();
    }

    @Test
    void nothingGoesWhileThePassIsDown() {
        OutageSchedule windows = OutageSchedule.parse("up 40s every 60s", text -> Duration.ofSeconds(Long.parseLong(text.replace("s", ""))));
        LinkGovernor governor = LinkGovernor.of(Map.of(), windows);
        Instant cycle = Instant.ofEpochSecond(CYCLE.getEpochSecond() / 60 * 60);
        assertThat(governor.waitBefore(LinkDirection.TO_OUTPOST, 1, cycle.plusSeconds(10))).isZero();
        assertThat(governor.waitBefore(LinkDirection.TO_OUTPOST, 1, cycle.plusSeconds(45))).isEqualTo(Duration.ofSeconds(15));
        assertThat(governor.waitBefore(LinkDirection.TO_UPSTREAM, 1, cycle.plusSeconds(59))).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void anUnlimitedLinkNeverWaits() {
        assertThat(LinkGovernor.unlimited().waitBefore(LinkDirection.TO_OUTPOST, Long.MAX_VALUE / 2, CYCLE)).isZero();
    }

    @Test
    void onceTheDaysBudgetIsSpentBulkWaitsForTheNextDayAndTheRestStillGoes(@TempDir Path dir) {
        Path spent = dir.resolve("budget-spent");
        LinkGovernor governor = LinkGovernor.of(Map.of(), OutageSchedule.alwaysUp(), 1_000, spent);
        governor.sent(LinkDirection.TO_OUTPOST, 600, CYCLE);
        governor.sent(LinkDirection.TO_UPSTREAM, 400, CYCLE);

        assertThat(governor.budgetLeft(CYCLE)).isZero();
        assertThat(governor.waitBefore(LinkDirection.TO_OUTPOST, 100, true, CYCLE)).as("bulk waits until midnight UTC").isEqualTo(Duration.ofHours(14));
        assertThat(governor.waitBefore(LinkDirection.TO_OUTPOST, 100, false, CYCLE)).as("config and control still go").isZero();
        assertThat(LinkGovernor.of(Map.of(), OutageSchedule.alwaysUp(), 1_000, spent).budgetLeft(CYCLE)).as("kept across a restart").isZero();
        assertThat(governor.waitBefore(LinkDirection.TO_OUTPOST, 100, true, CYCLE.plus(Duration.ofHours(14)))).as("a new day").isZero();
        assertThat(governor.budgetLeft(CYCLE.plus(Duration.ofHours(14)))).isEqualTo(1_000);
    }

    @Test
    void anUnreadableRecordOfTheDayStartsItAfresh(@TempDir Path dir) throws Exception {
        Path spent = Files.writeString(dir.resolve("budget-spent"), "garbled");
        assertThat(LinkGovernor.of(Map.of(), OutageSchedule.alwaysUp(), 1_000, spent).budgetLeft(CYCLE)).isEqualTo(1_000);
    }
}
