package io.outpost.link;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.outpost.protocol.Envelope;
import io.outpost.protocol.MessageTypes;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class MessageCopiesTest {
    private final MessageCopies copies = new MessageCopies();

    @Test
    void theFirstCopyOfAMessageIsAppliedAndTheOthersAreDropped() {
        Envelope request = Envelope.request(MessageTypes.GIT_SYNC, "polar-1", JsonNodeFactory.instance.objectNode(), Instant.EPOCH, Duration.ofHours(1));
        assertThat(copies.alreadyApplied(request)).isFalse();
        copies.applied(request);

        assertThat(copies.alreadyApplied(request)).as("a copy of the same envelope").isTrue();
        assertThat(copies.alreadyApplied(Envelope.request(MessageTypes.GIT_SYNC, "polar-1", JsonNodeFactory.instance.objectNode(), Instant.EPOCH,
                Duration.ofHours(1)))).as("the same request asked again is a new message").isFalse();
    }

    @Test
    void transferStartsAndChunksAreNeverCopiedNorDropped() {
        // a checkpoint is the transfer's start sent again under its id: dropping it would leave the transfer to a timer
        Envelope start = new Envelope("start-1", MessageTypes.TRANSFER_START, "request-1", "polar-1", "outpost", Instant.EPOCH, 9, null,
                JsonNodeFactory.instance.objectNode(), null);
        copies.applied(start);

        assertThat(copies.alreadyApplied(start)).isFalse();
        assertThat(MessageCopies.copied(start)).isFalse();
        assertThat(MessageCopies.copied(new Envelope("c", MessageTypes.REPAIR_CHUNK, "r", "polar-1", "outpost", Instant.EPOCH, 4, null,
                JsonNodeFactory.instance.objectNode(), new byte[1]))).isFalse();
        assertThat(MessageCopies.copied(new Envelope("r", MessageTypes.TRANSFER_REPORT, "t", "polar-1", "outpost", Instant.EPOCH, 9, null,
                JsonNodeFactory.instance.objectNode(), null))).as("a report is copied: each copy would send the chunks again").isTrue();
    }
}
