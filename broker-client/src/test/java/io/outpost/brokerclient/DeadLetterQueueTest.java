package io.outpost.brokerclient;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What the dead-letter tools read and write without a broker: the queue a letter came from, the reason filter. */
class DeadLetterQueueTest {
    @Test
    void theQueueADeadLetterCameFromIsReadFromItsConsumersEndpoint() {
        assertThat(DeadLetters.queueOf(SiteJms.transactedConsumer("outpost", Addresses.LINK_INBOUND))).contains(Addresses.LINK_INBOUND);
        assertThat(DeadLetters.queueOf("outpost://queue:outpost.requests.blue?transacted=true")).contains("outpost.requests.blue");
        assertThat(DeadLetters.queueOf("timer://tick")).isEmpty();
    }

    @Test
    void aReasonFilterMatchesItsTextLiterallyWildcardsAndQuotesIncluded() {
        assertThat(DeadLetterQueue.selector("100% it's_bad!")).isEqualTo(Addresses.REJECT_REASON + " LIKE '%100!% it''s!_bad!!%' ESCAPE '!'");
        assertThat(DeadLetterQueue.selector("")).isNull();
        assertThat(DeadLetterQueue.selector(null)).isNull();
    }
}
