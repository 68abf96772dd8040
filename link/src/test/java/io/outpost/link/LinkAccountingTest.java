package io.outpost.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinkAccountingTest {
    @TempDir
    Path dir;

    @Test
    void totalsSurviveARestart() {
        Path file = dir.resolve("link/stats.json");
        new LinkAccounting(new SimpleMeterRegistry(), file).count(LinkDirection.TO_OUTPOST, "GitBundle", 1_000);
        LinkAccounting again = new LinkAccounting(new SimpleMeterRegistry(), file);
        assertThat(again.bytes(LinkDirection.TO_OUTPOST)).isEqualTo(1_000);
        assertThat(LinkAccounting.read(file).get("to-outpost")).containsEntry("GitBundle", new LinkTotal(1, 1_000));
    }

    @Test
    void aGarbledFileCountsAsNoTotalsAndTheLinkCountsAfreshOverIt() throws Exception {
        Path file = dir.resolve("stats.json");
        Files.writeString(file, "{\"to-outpost\": {\"GitBun");
        assertThat(LinkAccounting.read(file)).as("status goes on without them").isEmpty();
        LinkAccounting link = new LinkAccounting(new SimpleMeterRegistry(), file);
        link.count(LinkDirection.TO_UPSTREAM, "GitSync", 300);
        assertThat(LinkAccounting.read(file).get("to-upstream")).containsEntry("GitSync", new LinkTotal(1, 300));
    }
}
