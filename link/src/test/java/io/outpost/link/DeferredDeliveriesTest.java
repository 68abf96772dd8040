package io.outpost.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.content.Tenants;
import io.outpost.protocol.Envelope;
import io.outpost.protocol.EnvelopeCodec;
import io.outpost.protocol.LocalUnavailableException;
import io.outpost.protocol.MalformedMessageException;
import io.outpost.protocol.MessageTypes;
import io.outpost.protocol.Messages;
import io.outpost.protocol.TestClock;
import io.outpost.protocol.transfer.Delivery;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What arrived but could not be applied for a local cause waits on disk and is applied, in order, once the cause clears. */
class DeferredDeliveriesTest {
    @TempDir
    Path dir;
    private final TestClock clock = new TestClock(Instant.parse("2026-12-01T10:00:00Z"));
    @Test
    void keptMessagesWaitWithTheirBodiesAndAreAppliedInOrderOnceTheCauseClears() throws Exception {
        DeferredDeliveries deferred = new DeferredDeliveries(dir.resolve("deferred"), new EnvelopeCodec(1024), clock);
        for (int i = 1; i <= 3; i++) {
            deferred.keep(delivery("sha256:" + String.valueOf(i).repeat(64), "layer " + i), "the local registry is not answering");
            clock.advance(Duration.ofMillis(1));
        }
        List<String> applied = new ArrayList<>();
        boolean[] registryUp = {false};

        assertThat(deferred.retry(delivery -> apply(delivery, registryUp[0], applied), true)).isEmpty();
        clock.advance(Duration.ofMillis(500));
        deferred.retry(delivery -> apply(delivery, true, applied), false);
        assertThat(applied).as("not yet: the next try is a second away").isEmpty();
        assertThat(deferred.headerValues(MessageTypes.IMAGE_BLOB, "digest", Tenants.OUTPOST)).hasSize(3);

        clock.advance(Duration.ofSeconds(1));
        registryUp[0] = true;
        assertThat(deferred.retry(delivery -> apply(delivery, registryUp[0], applied), false)).isEmpty();

        assertThat(applied).containsExactly("layer 1", "layer 2", "layer 3");
        assertThat(deferred.isEmpty()).isTrue();
        assertThat(dir.resolve("deferred")).isEmptyDirectory();
    }

    @Test
    void aDiskThatIsFullIsALocalCauseAndAMessageThatCanNeverBeAppliedIsHandedBackForTheDeadLetters() throws Exception {
        DeferredDeliveries deferred = new DeferredDeliveries(dir.resolve("deferred"), new EnvelopeCodec(1024), clock);
        deferred.keep(delivery("sha256:" + "a".repeat(64), "first"), "the disk is full");
        deferred.keep(delivery("sha256:" + "b".repeat(64), "second"), "the disk is full");
        List<String> applied = new ArrayList<>();

        deferred.retry(delivery -> {
            throw new UncheckedIOException(new IOException("No space left on device"));
        }, true);
        assertThat(deferred.size()).as("still kept: the disk is full").isEqualTo(2);
        List<DeferredDeliveries.Failed> failed = deferred.retry(delivery -> {
            if (read(delivery).equals("first")) {
                throw new MalformedMessageException("never");
            }
            applied.add(read(delivery));
        }, true);

        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).reason()).hasMessage("never");
        assertThat(applied).containsExactly("second");
        assertThat(LocalUnavailableException.localCause(new MalformedMessageException("no"))).isEmpty();
    }

    private static void apply(Delivery delivery, boolean registryUp, List<String> applied) {
        if (!registryUp) {
            throw new LocalUnavailableException("the local registry is not answering", null);
        }
        applied.add(read(delivery));
    }

    private static String read(Delivery delivery) {
        try {
            return Files.readString(delivery.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Delivery delivery(String digest, String body) throws IOException {
        Path file = Files.createTempFile(dir, "body", "");
        Files.writeString(file, body);
        Envelope message = Envelope.request(MessageTypes.IMAGE_BLOB, "polar-1", Messages.headers(Map.of("repository", "demo/web", "digest", digest,
                "size", body.length())), clock.instant(), Duration.ofHours(1));
        return new Delivery(message, file);
    }
}
