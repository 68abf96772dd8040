package io.outpost.gateway.upstream.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.content.Tenants;
import io.outpost.protocol.GitSync;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The upstream's record of the outpost's subscriptions: a broken file stops its own pushes only, and heals when the outpost subscribes again. */
class SubscriptionsTest {
    @TempDir
    Path dir;

    @Test
    void aTruncatedSubscriptionIsSkippedTheOthersGoOnAndTheNextSubscribeHealsIt() throws Exception {
        Subscriptions subscriptions = new Subscriptions(dir);
        GitSync infra = new GitSync("infra", List.of("HEAD"), Map.of());
        GitSync apps = new GitSync("apps", List.of("refs/tags/v*"), Map.of());
        subscriptions.acknowledge(Tenants.OUTPOST, infra);
        subscriptions.acknowledge(Tenants.OUTPOST, apps);
        Path file = dir.resolve("infra.json");
        Files.write(file, Arrays.copyOf(Files.readAllBytes(file), 20));

        assertThat(subscriptions.list()).extracting(subscription -> subscription.acknowledged().repo()).containsExactly("apps");
        assertThat(subscriptions.list()).as("again at the next poll, without failing").hasSize(1);

        subscriptions.acknowledge(Tenants.OUTPOST, infra);
        assertThat(subscriptions.list()).extracting(subscription -> subscription.acknowledged().repo()).containsExactly("apps", "infra");
    }
}
