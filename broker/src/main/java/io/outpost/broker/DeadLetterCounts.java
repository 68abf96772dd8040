package io.outpost.broker;

import io.outpost.brokerclient.Addresses;
import io.outpost.brokerclient.DeadLetters;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.activemq.artemis.core.server.MessageReference;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.utils.collections.LinkedListIterator;

/**
 * The messages in a site's dead queue by kind ({@link Addresses#DEAD_KIND}; those an earlier build dead-lettered count
 * as {@code failed}), read by browsing the queue in the broker: at most once a second however many gauges ask.
 */
final class DeadLetterCounts {
    private static final Duration FRESH = Duration.ofSeconds(1);

    private final Supplier<Queue> dead;
    private final Clock clock;
    private Map<String, Long> counts = Map.of();
    private Instant countedAt = Instant.EPOCH;

    DeadLetterCounts(Supplier<Queue> dead, Clock clock) {
        this.dead = dead;
        this.clock = clock;
    }

    synchronized long of(String kind) {
        Instant now = clock.instant();
        if (now.isAfter(countedAt.plus(FRESH)) || now.isBefore(countedAt)) {
            counts = count();
            countedAt = now;
        }
        return counts.getOrDefault(kind, 0L);
    }

    private Map<String, Long> count() {
        Queue queue = dead.get();
        Map<String, Long> byKind = new HashMap<>();
        if (queue == null) {
            return byKind;
        }
        try (LinkedListIterator<MessageReference> each = queue.browserIterator()) {
            while (each.hasNext()) {
                Object kind = each.next().getMessage().getObjectProperty(Addresses.DEAD_KIND);
                String named = kind == null ? "" : kind.toString();
                byKind.merge(DeadLetters.KINDS.contains(named) ? named : DeadLetters.FAILED, 1L, Long::sum);
            }
        }
        return byKind;
    }
}
