package io.outpost.brokerclient;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.protocol.DeadLetterKind;
import io.outpost.protocol.MalformedMessageException;
import org.junit.jupiter.api.Test;

class DeadLettersTest {
    @Test
    void aDeadLetterIsCountedUnderTheKindItsFailureOrWhatItWrapsNames() {
        assertThat(DeadLetters.kind(new MalformedMessageException("no headers"))).isEqualTo("malformed");
        assertThat(DeadLetters.kind(new IllegalStateException("while applying", new MalformedMessageException("no headers")))).isEqualTo("malformed");
        assertThat(DeadLetters.kind(new IllegalStateException("disk on fire"))).isEqualTo("failed");
        assertThat(DeadLetters.kind(null)).isEqualTo("failed");
    }

    @Test
    void aKindNoGaugeCountsIsCountedAsFailedRatherThanLost() {
        class Odd extends RuntimeException implements DeadLetterKind {
            @Override
            public String deadLetterKind() {
                return "odd";
            }
        }
        assertThat(DeadLetters.kind(new Odd())).isEqualTo("failed");
    }

    @Test
    void aDeadLetterCarriesItsReasonWithTheRootCauseAndItsKind() {
        assertThat(DeadLetters.about(new IllegalStateException("while applying", new MalformedMessageException("no headers"))))
                .containsEntry(Addresses.DEAD_KIND, "malformed")
                .containsEntry(Addresses.REJECT_REASON, "IllegalStateException: while applying (cause: MalformedMessageException: no headers)");
    }
}
