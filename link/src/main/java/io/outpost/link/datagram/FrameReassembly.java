package io.outpost.link.datagram;

import io.outpost.protocol.transfer.ErasureCode;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Frames put back together from their datagrams: once a frame holds as many fragments (data or repair) as it has
 * data fragments, its lost ones are rebuilt and the frame is whole. Bounded: at most {@link #MAX_PARTIAL} frames wait
 * for fragments (the oldest given up first, as one that waits past {@code patience}: lost, for the transfer layer to
 * recover), and fragments of a frame already whole are dropped.
 */
final class FrameReassembly {
    static final int MAX_PARTIAL = 64;
    private static final int REMEMBERED = 4096;

    /** A frame that came whole, of message type {@code type}. */
    record Frame(String type, byte[] bytes) {
    }

    private record Partial(Instant firstAt, DatagramFrames.Fragment first, TreeMap<Integer, byte[]> fragments) {
    }

    private final Duration patience;
    /** Told the type and length of each frame given up on. */
    private final java.util.function.BiConsumer<String, Integer> lost;
    private final Map<Long, Partial> partial = new LinkedHashMap<>();
    private final Set<Long> done = Collections.newSetFromMap(new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    });

    FrameReassembly(Duration patience, java.util.function.BiConsumer<String, Integer> lost) {
        this.patience = patience;
        this.lost = lost;
    }

    /** Takes one fragment; returns the frame when it made it whole. */
    synchronized Optional<Frame> accept(DatagramFrames.Fragment fragment, Instant now) {
        expire(now);
        if (done.contains(fragment.frameId())) {
            return Optional.empty();
        }
        Partial frame = partial.computeIfAbsent(fragment.frameId(), id -> new Partial(now, fragment, new TreeMap<>()));
        if (frame.first().dataFragments() != fragment.dataFragments() || frame.first().frameLength() != fragment.frameLength()) {
            return Optional.empty(); // a fragment that disagrees with the frame's first: not of this frame
        }
        frame.fragments().putIfAbsent(fragment.index(), fragment.payload());
        if (partial.size() > MAX_PARTIAL) {
            giveUp(partial.remove(partial.keySet().iterator().next()));
        }
        if (frame.fragments().size() < fragment.dataFragments()) {
            return Optional.empty();
        }
        partial.remove(fragment.frameId());
        done.add(fragment.frameId());
        return Optional.of(new Frame(fragment.type(), rebuild(frame)));
    }

    private void expire(Instant now) {
        for (Iterator<Partial> frames = partial.values().iterator(); frames.hasNext(); ) {
            Partial frame = frames.next();
            if (frame.firstAt().plus(patience).isBefore(now)) {
                frames.remove();
                giveUp(frame);
            }
        }
    }

    private void giveUp(Partial frame) {
        lost.accept(frame.first().type(), frame.first().frameLength());
    }

    private static byte[] rebuild(Partial frame) {
        int data = frame.first().dataFragments();
        int length = frame.first().frameLength();
        int fragment = frame.fragments().values().stream().mapToInt(payload -> payload.length).max().orElse(0);
        byte[] bytes = new byte[length];
        java.util.List<Integer> missing = new java.util.ArrayList<>();
        for (int i = 0; i < data; i++) {
            byte[] payload = frame.fragments().get(i);
            if (payload == null) {
                missing.add(i);
            } else {
                System.arraycopy(payload, 0, bytes, i * fragment, Math.min(payload.length, length - i * fragment));
            }
        }
        if (missing.isEmpty()) {
            return bytes;
        }
        int[] held = frame.fragments().keySet().stream().limit(data).mapToInt(Integer::intValue).toArray();
        int[][] factors = new ErasureCode(data, frame.first().repairs()).rebuild(held, missing.stream().mapToInt(Integer::intValue).toArray());
        for (int m = 0; m < missing.size(); m++) {
            byte[] rebuilt = new byte[fragment];
            for (int t = 0; t < held.length; t++) {
                byte[] payload = frame.fragments().get(held[t]);
                ErasureCode.addScaled(factors[m][t], payload, payload.length, rebuilt);
            }
            int at = missing.get(m) * fragment;
            System.arraycopy(rebuilt, 0, bytes, at, Math.min(fragment, length - at));
        }
        return bytes;
    }
}
