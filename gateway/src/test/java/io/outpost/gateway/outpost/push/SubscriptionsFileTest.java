package io.outpost.gateway.outpost.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code subscriptions.txt}: a repo a line, with the refs it follows; a bad line is named with its fix. */
class SubscriptionsFileTest {
    @TempDir
    Path dir;

    @Test
    void aLineIsARepoAndTheRefsItFollowsItsDefaultBranchWhenNoneAreNamed() throws Exception {
        Path file = Files.writeString(dir.resolve("subscriptions.txt"), "demo-config\n\nmodules refs/tags/v* refs/heads/master\n");
        assertThat(OutpostSubscriptions.read(file)).containsExactly(
                Map.entry("demo-config", List.of("HEAD")),
                Map.entry("modules", List.of("refs/tags/v*", "refs/heads/master")));
    }

    @Test
    void aGarbledLineIsNamedByFileAndLineWithTheFix() throws Exception {
        Path file = Files.writeString(dir.resolve("subscriptions.txt"), "demo-config\nmodules tags/v1\n");
        assertThatThrownBy(() -> OutpostSubscriptions.read(file))
                .hasMessageContaining(file + ":2: ")
                .hasMessageContaining("each line is REPO [REF ...]");
    }
}
