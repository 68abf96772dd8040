package io.outpost.gateway.outpost;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.content.Tenants;
import io.outpost.protocol.ErrorCode;
import io.outpost.protocol.TestClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InFlightRequestsTest {
    private final TestClock clock = new TestClock(Instant.parse("2026-11-23T10:00:00Z"));
    private final InFlightRequests inFlight = new InFlightRequests(clock, Duration.ofSeconds(10), new io.micrometer.core.instrument.simple.SimpleMeterRegistry(), Tenants.OUTPOST);

    @Test
    void identicalRequestsCoalesceUntilTheResendTime() {
        assertThat(inFlight.start("git:infra")).isTrue();
        assertThat(inFlight.start("git:infra")).as("in flight: coalesced").isFalse();
        assertThat(inFlight.start("git:other")).isTrue();
        clock.advance(Duration.ofSeconds(11));
        assertThat(inFlight.start("git:infra")).as("unanswered too long: send again").isTrue();
        clock.advance(Duration.ofSeconds(2));
        assertThat(inFlight.finish("git:infra", InFlightRequests.ANSWERED)).contains(Duration.ofSeconds(2));
        assertThat(inFlight.start("git:infra")).as("answered: a new request goes").isTrue();
    }

    @Test
    void aRefusalAskingAgainCannotChangeIsRememberedForTheResendTime() {
        assertThat(inFlight.start("provider:example.org/x/y")).isTrue();
        inFlight.finish("provider:example.org/x/y", InFlightRequests.ERROR);
        inFlight.refused("provider:example.org/x/y", ErrorCode.FORBIDDEN, "not on the allowlist");
        inFlight.refused("image:demo/web:v1", ErrorCode.ORIGIN_UNAVAILABLE, "down");

        clock.advance(Duration.ofSeconds(9));
        assertThat(inFlight.refusal("provider:example.org/x/y")).hasValueSatisfying(refusal -> {
            assertThat(refusal.code()).isEqualTo(ErrorCode.FORBIDDEN);
            assertThat(refusal.message()).isEqualTo("not on the allowlist");
        });
        assertThat(inFlight.refusal("image:demo/web:v1")).as("worth asking again: not remembered").isEmpty();
        clock.advance(Duration.ofSeconds(1));
        assertThat(inFlight.refusal("provider:example.org/x/y")).as("after the resend time it is asked again").isEmpty();

        inFlight.refused("git:infra", ErrorCode.NOT_FOUND, "no such ref");
        inFlight.succeeded("git:infra");
        assertThat(inFlight.refusal("git:infra")).as("an answer that succeeded forgets it").isEmpty();
    }

    @Test
    void anOriginThatIsDownIsAskedAgainWithGrowingPausesUntilItAnswers() {
        Duration[] expected = {Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(120)};
        for (Duration pause : expected) {
            assertThat(inFlight.start("image:demo/web:v1")).isTrue();
            inFlight.finish("image:demo/web:v1", InFlightRequests.ANSWERED);
            inFlight.originDown("image:demo/web:v1");
            clock.advance(pause.minusSeconds(1));
            assertThat(inFlight.start("image:demo/web:v1")).as("still backing off after " + pause).isFalse();
            clock.advance(Duration.ofSeconds(1));
        }
        assertThat(inFlight.start("image:demo/web:v1")).isTrue();
        inFlight.finish("image:demo/web:v1", InFlightRequests.ANSWERED);
        inFlight.succeeded("image:demo/web:v1");
        inFlight.originDown("image:demo/web:v1");
        clock.advance(Duration.ofSeconds(30));
        assertThat(inFlight.start("image:demo/web:v1")).as("a success resets the backoff to its first pause").isTrue();
    }

    @Test
    void theBackoffNeverExceedsHalfAnHour() {
        for (int i = 0; i < 20; i++) {
            inFlight.originDown("git:infra");
        }
        clock.advance(Duration.ofMinutes(30));
        assertThat(inFlight.start("git:infra")).isTrue();
    }
}
