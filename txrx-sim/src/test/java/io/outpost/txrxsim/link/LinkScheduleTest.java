package io.outpost.txrxsim.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.link.OutageSchedule;
import io.outpost.protocol.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LinkScheduleTest {
    private static final Instant T0 = Instant.parse("2026-11-23T00:00:00Z");
    private final TestClock clock = new TestClock(T0);

    @Test
    void aMessageArrivesOneDelayLaterOnAnUnlimitedLink() {
        LinkSchedule link = new LinkSchedule(new LinkSettings(Duration.ofSeconds(5), Duration.ZERO, 0), clock, new Random(1));
        assertThat(link.arrivalOf(10_000_000)).isEqualTo(T0.plusSeconds(5));
    }

    @Test
    void bandwidthSerialisesMessagesSoOthersQueueBehindALargeOne() {
        LinkSchedule link = new LinkSchedule(new LinkSettings(Duration.ofSeconds(1), Duration.ZERO, 1_000_000), clock, new Random(1));
        assertThat(link.arrivalOf(10_000_000)).as("10 MB at 1 MB/s").isEqualTo(T0.plusSeconds(11));
        clock.advance(Duration.ofSeconds(2));
        assertThat(link.arrivalOf(1_000)).as("waits for the link, then 1 ms on it").isEqualTo(T0.plusSeconds(11).plusMillis(1));
    }

    @Test
    void aFreeLinkStartsSendingAtOnce() {
        LinkSchedule link = new LinkSchedule(new LinkSettings(Duration.ofMillis(300), Duration.ZERO, 250_000), clock, new Random(1));
        link.arrivalOf(250_000);
        clock.advance(Duration.ofSeconds(10));
        assertThat(link.arrivalOf(250_000)).isEqualTo(T0.plusSeconds(11).plusMillis(300));
    }

    @Test
    void jitterNeverReordersMessages() {
        LinkSchedule link = new LinkSchedule(new LinkSettings(Duration.ofMillis(100), Duration.ofSeconds(2), 0), clock, new Random(3));
        Instant previous = Instant.MIN;
        for (int i = 0; i < 1_000; i++) {
            Instant arrival = link.arrivalOf(100);
            assertThat(arrival).isAfterOrEqualTo(previous).isBetween(clock.instant().plusMillis(100), clock.instant().plusMillis(2_100));
            previous = arrival;
            clock.advance(Duration.ofMillis(1));
        }
    }

    @Test
    void nothingCrossesDuringAnOutageAndATransmissionDoesNotRunIntoOne() {
        TestClock clock = new TestClock(CYCLE.plusSeconds(45));
        OutageSchedule windows = OutageSchedule.parse("up 40s every 60s", LinkScheduleTest::seconds);
        LinkSchedule link = new LinkSchedule(new LinkSettings(Duration.ofSeconds(1), Duration.ZERO, 1_000_000, LinkFaults.NONE, windows, 1L),
                clock, new Random(1));
        assertThat(link.arrivalOf(1_000_000)).as("waits for the window, 1 s on the link, 1 s of delay").isEqualTo(CYCLE.plusSeconds(62));

        clock.advance(Duration.ofSeconds(50));
        assertThat(link.arrivalOf(10_000_000)).as("10 s would run past the window at 100 s: waits for 120 s")
                .isEqualTo(CYCLE.plusSeconds(131));
    }

    private static final Instant CYCLE = Instant.parse("2026-11-23T10:00:00Z");

    private static Duration seconds(String text) {
        return Duration.ofSeconds(Long.parseLong(text.replace("s", "")));
    }
}
