package io.outpost.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.protocol.Json;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench's table is filled from measurement: one small goodput row, checked against what it says it moved. */
class BenchTest {
    @TempDir
    Path dir;

    @Test
    void aSmallGoodputRunPrintsMeasuredColumnsAndJson() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Path json = dir.resolve("goodput.json");
        new Bench(Path.of("/usr/bin/docker-registry"), Path.of(System.getProperty("outpost.terraform", "/usr/local/bin/terraform")))
                .goodput(1_000_000, List.of(0.05), json, new PrintStream(printed, true, StandardCharsets.UTF_8));

        String table = printed.toString(StandardCharsets.UTF_8);
        assertThat(table).contains("loss", "goodput/bw", "link bytes").containsPattern("(?m)^\\s+5%\\s+1000000\\s+\\d+\\.\\d+\\s+0\\.\\d{3}\\s");
        var row = Json.MAPPER.readTree(json.toFile()).get(0);
        assertThat(row.path("bytes").asLong()).isEqualTo(1_000_000);
        assertThat(row.path("seconds").asDouble()).as("at least the time 1 MB takes at 2 MB/s").isGreaterThan(0.5);
        assertThat(row.path("linkBytes").asLong()).as("the layer crossed the link").isGreaterThanOrEqualTo(1_000_000 - row.path("lostBytes").asLong());
        assertThat(row.path("goodputRatio").asDouble()).isBetween(0.0, 1.0);
    }
}
