package io.outpost.gateway.upstream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpost.protocol.GitSync;
import io.outpost.protocol.Json;
import io.outpost.protocol.Names;
import io.outpost.transfer.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The outpost's subscriptions, one file per repo under {@code DATA/upstream/subscriptions/}: what the
 * outpost last acknowledged holding (its latest Subscribe) and the tips upstream has pushed since, so an
 * update is pushed once, and again only when the origin moves again.
 */
final class Subscriptions {
    /** One subscription: the outpost's acknowledged state, and the tips pushed after it (empty when none). */
    record Subscription(GitSync acknowledged, Map<String, String> pushed) {
    }

    private final Path dir;

    Subscriptions(Path dir) {
        this.dir = dir;
    }

    /** A Subscribe arrived: the outpost's state replaces what was known, pushes included. */
    synchronized void acknowledge(GitSync state) {
        write(new Subscription(state, Map.of()));
    }

    synchronized void pushed(String repo, Map<String, String> tips) {
        list().stream().filter(subscription -> subscription.acknowledged().repo().equals(repo)).findFirst()
                .ifPresent(subscription -> write(new Subscription(subscription.acknowledged(), tips)));
    }

    synchronized List<Subscription> list() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(file -> file.toString().endsWith(".json")).map(Subscriptions::read).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list subscriptions in " + dir, e);
        }
    }

    private void write(Subscription subscription) {
        ObjectNode node = Json.MAPPER.createObjectNode();
        node.set("acknowledged", Json.MAPPER.valueToTree(subscription.acknowledged()));
        node.set("pushed", Json.MAPPER.valueToTree(subscription.pushed()));
        try {
            DurableFiles.writeAtomically(dir.resolve(Names.requireRepo(subscription.acknowledged().repo()) + ".json"),
                    Json.MAPPER.writeValueAsBytes(node));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the subscription to " + subscription.acknowledged().repo(), e);
        }
    }

    private static Subscription read(Path file) {
        try {
            JsonNode node = Json.MAPPER.readTree(file.toFile());
            Map<String, String> pushed = Json.MAPPER.convertValue(node.path("pushed"), Json.MAPPER.getTypeFactory()
                    .constructMapType(Map.class, String.class, String.class));
            return new Subscription(Json.MAPPER.treeToValue(node.path("acknowledged"), GitSync.class), pushed == null ? Map.of() : pushed);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read subscription " + file, e);
        }
    }
}
