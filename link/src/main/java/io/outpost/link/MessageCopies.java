package io.outpost.link;

import io.outpost.protocol.Envelope;
import io.outpost.protocol.MessageTypes;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * On a lossy link messages outside transfers go more than once (each copy signed on its own; how many times, see
 * {@link io.outpost.protocol.transfer.RepairPolicy#signalCopies}), since a lost request, answer or report costs a
 * timer of round trips; the receiving site applies the first copy to arrive and drops the rest by envelope id. Transfer starts and chunks are not copied: a transfer has its own redundancy (checkpoints, repair
 * chunks), and its starts are sent again under the same id as checkpoints, which must not be dropped.
 */
final class MessageCopies {
    /** Envelope ids remembered: copies arrive within moments of each other. */
    private static final int REMEMBERED = 4096;
    private final Set<String> applied = Collections.newSetFromMap(new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    });

    static boolean copied(Envelope envelope) {
        return switch (envelope.type()) {
            case MessageTypes.TRANSFER_START, MessageTypes.CHUNK, MessageTypes.REPAIR_CHUNK -> false;
            default -> true;
        };
    }

    /** True when a copy of {@code envelope} was applied already: this one is dropped. */
    synchronized boolean alreadyApplied(Envelope envelope) {
        return copied(envelope) && applied.contains(envelope.id());
    }

    /** Remembers that {@code envelope} was applied, once it was. */
    synchronized void applied(Envelope envelope) {
        if (copied(envelope)) {
            applied.add(envelope.id());
        }
    }
}
