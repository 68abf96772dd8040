package io.outpost.link;

import com.fasterxml.jackson.core.type.TypeReference;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.outpost.data.DurableFiles;
import io.outpost.protocol.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every byte that crosses the link, by direction and message type: Micrometer counters
 * {@code outpost.link.bytes} and {@code outpost.link.messages} (tags {@code direction}, {@code type}),
 * and totals kept in {@code stats.json} so they survive restarts and {@code outpost status} can read them.
 */
public final class LinkAccounting {
    private static final Logger LOG = LoggerFactory.getLogger(LinkAccounting.class);
    private final MeterRegistry registry;
    private final Path file;
    private final Map<String, Map<String, LinkTotal>> totals;

    public LinkAccounting(MeterRegistry registry, Path file) {
        this.registry = registry;
        this.file = file;
        this.totals = read(file);
        totals.forEach((direction, byType) -> byType.forEach((type, total) -> {
            bytes(direction, type).increment(total.bytes());
            messages(direction, type).increment(total.messages());
        }));
    }

    public synchronized void count(LinkDirection direction, String type, long bytes) {
        count(direction.tag(), type, bytes);
    }

    /** A message the link lost: it used the link but never arrived. Counted under "lost-to-...". */
    public synchronized void countLost(LinkDirection direction, String type, long bytes) {
        count(direction.lostTag(), type, bytes);
    }

    private void count(String direction, String type, long bytes) {
        bytes(direction, type).increment(bytes);
        messages(direction, type).increment();
        totals.computeIfAbsent(direction, d -> new TreeMap<>()).merge(type, new LinkTotal(1, bytes), LinkTotal::plus);
        write();
    }

    /** Totals by direction tag, then by message type. */
    public synchronized Map<String, Map<String, LinkTotal>> totals() {
        Map<String, Map<String, LinkTotal>> copy = new TreeMap<>();
        totals.forEach((direction, byType) -> copy.put(direction, new TreeMap<>(byType)));
        return copy;
    }

    /** Bytes that crossed in {@code direction}, lost ones not included. */
    public synchronized long bytes(LinkDirection direction) {
        return totals.getOrDefault(direction.tag(), Map.of()).values().stream().mapToLong(LinkTotal::bytes).sum();
    }

    public synchronized long lostBytes(LinkDirection direction) {
        return totals.getOrDefault(direction.lostTag(), Map.of()).values().stream().mapToLong(LinkTotal::bytes).sum();
    }

    /**
     * The totals {@code file} holds. They are derived (counts of what crossed, not what crossed), so a file
     * that cannot be read counts as none, with a warning that names it: status shows everything else, and a
     * running link counts afresh from zero and writes the file again.
     */
    public static Map<String, Map<String, LinkTotal>> read(Path file) {
        if (!Files.exists(file)) {
            return new TreeMap<>();
        }
        try {
            return Json.MAPPER.readValue(file.toFile(), new TypeReference<TreeMap<String, Map<String, LinkTotal>>>() { });
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot read the link totals in {} ({}); counting them from zero: only the byte and message totals are lost, nothing that crossed",
                    file, e.getMessage());
            return new TreeMap<>();
        }
    }

    private void write() {
        try {
            DurableFiles.writeAtomically(file, Json.MAPPER.writeValueAsBytes(totals));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write link totals " + file, e);
        }
    }

    private Counter bytes(String direction, String type) {
        return Counter.builder("outpost.link.bytes").baseUnit("bytes")
                .description("Bytes carried by the link").tag("direction", direction).tag("type", type).register(registry);
    }

    private Counter messages(String direction, String type) {
        return Counter.builder("outpost.link.messages")
                .description("Messages carried by the link").tag("direction", direction).tag("type", type).register(registry);
    }
}
