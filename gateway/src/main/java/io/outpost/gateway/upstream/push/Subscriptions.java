package io.outpost.gateway.upstream.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpost.content.Names;
import io.outpost.content.Tenants;
import io.outpost.data.DurableFiles;
import io.outpost.protocol.GitSync;
import io.outpost.protocol.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outpost's subscriptions, one file per repo under {@code DATA/upstream/subscriptions/} (a tenant's
 * under {@code tenants/<tenant>/} there): what the outpost last acknowledged holding (its latest Subscribe)
 * and the tips upstream has pushed since, and when, so an update is pushed once, and again only when the origin moves
 * again or the outpost has not acknowledged it for a while (the push or its acknowledgement was lost).
 */
public final class Subscriptions {
    /** One subscription of {@code tenant}'s: the outpost's acknowledged state, and the tips pushed after it (empty when none) and when (null then). */
    public record Subscription(String tenant, GitSync acknowledged, Map<String, String> pushed, Instant pushedAt) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(Subscriptions.class);

    private final Path dir;
    /** Files found unreadable and said so; said again only after they were read once more. */
    private final Set<Path> unreadable = new HashSet<>();

    public Subscriptions(Path dir) {
        this.dir = dir;
    }

    /** A Subscribe arrived: the outpost's state replaces what was known, pushes included. */
    synchronized void acknowledge(String tenant, GitSync state) {
        write(new Subscription(tenant, state, Map.of(), null));
    }

    synchronized void pushed(Subscription subscription, Map<String, String> tips, Instant at) {
        write(new Subscription(subscription.tenant(), subscription.acknowledged(), tips, at));
    }

    public synchronized List<Subscription> list() {
        List<Subscription> all = new ArrayList<>(list(Tenants.OUTPOST, dir));
        Path tenants = dir.resolve("tenants");
        if (Files.isDirectory(tenants)) {
            try (Stream<Path> dirs = Files.list(tenants)) {
                dirs.sorted().forEach(tenant -> all.addAll(list(Tenants.requireTenant(tenant.getFileName().toString()), tenant)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list tenants' subscriptions in " + tenants, e);
            }
        }
        return all;
    }

    private List<Subscription> list(String tenant, Path in) {
        if (!Files.isDirectory(in)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(in)) {
            List<Subscription> readable = new ArrayList<>();
            for (Path file : files.filter(file -> file.toString().endsWith(".json")).sorted().toList()) {
                try {
                    readable.add(read(tenant, file));
                    unreadable.remove(file);
                } catch (UncheckedIOException | IllegalArgumentException e) {
                    // one broken file stops only its own pushes, and is said once, not at every poll
                    if (unreadable.add(file)) {
                        LOG.warn("{}: {}; its repo is not pushed until the outpost subscribes again (at its start, and after each update it"
                                + " applies), which rewrites the file; the other subscriptions go on", file, e.getMessage());
                    }
                }
            }
            return readable;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list subscriptions in " + in, e);
        }
    }

    private Path dirOf(String tenant) {
        return Tenants.OUTPOST.equals(tenant) ? dir : dir.resolve("tenants").resolve(Tenants.requireTenant(tenant));
    }

    private void write(Subscription subscription) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.set("acknowledged", Json.MAPPER.valueToTree(subscription.acknowledged()));
        node.set("pushed", Json.MAPPER.valueToTree(subscription.pushed()));
        if (subscription.pushedAt() != null) {
            node.put("pushedAt", subscription.pushedAt().toString());
        }
        try {
            DurableFiles.writeAtomically(dirOf(subscription.tenant()).resolve(Names.requireRepo(subscription.acknowledged().repo()) + ".json"),
                    Json.MAPPER.writeValueAsBytes(node));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the subscription to " + subscription.acknowledged().repo(), e);
        }
    }

    private static Subscription read(String tenant, Path file) {
        try {
            JsonNode node = Json.MAPPER.readTree(file.toFile());
            Map<String, String> pushed = Json.MAPPER.convertValue(node.path("pushed"), Json.MAPPER.getTypeFactory()
                    .constructMapType(Map.class, String.class, String.class));
            GitSync acknowledged = Json.MAPPER.treeToValue(node.path("acknowledged"), GitSync.class);
            if (acknowledged == null) {
                throw new IllegalArgumentException("it records no acknowledged state");
            }
            // a file from before pushes were timed counts as pushed just now
            Instant pushedAt = node.hasNonNull("pushedAt") ? Instant.parse(node.get("pushedAt").asText()) : Instant.now();
            return new Subscription(tenant, acknowledged, pushed == null ? Map.of() : pushed, pushed == null || pushed.isEmpty() ? null : pushedAt);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read subscription: " + e.getMessage(), e);
        }
    }
}
