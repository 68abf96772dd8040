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

/** The bench's tables are filled from measurement: small runs, checked against what they say they moved. */
class BenchTest {
    @TempDir
    Path dir;

    @Test
    void aSmallGoodputRunPrintsMeasuredColumnsAndJson() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        Path json = dir.resolve("goodput.json");
        bench().goodput(1_000_000, List.of(0.05), false, dir, new PrintStream(printed, true, StandardCharsets.UTF_8));

        String table = printed.toString(StandardCharsets.UTF_8);
        assertThat(table).contains("loss", "goodput/B(1-p)", "link bytes").containsPattern("(?m)^\\s+5%\\s+1000000\\s+100\\s+\\d+\\.\\d+\\s+\\d\\.\\d{3}\\s");
        var row = Json.MAPPER.readTree(json.toFile()).get(0);
        assertThat(row.path("bytes").asLong()).isEqualTo(1_000_000);
        assertThat(row.path("seconds").asDouble()).as("at least the time 1 MB takes at 2 MB/s").isGreaterThan(0.5);
        assertThat(row.path("linkBytes").asLong()).as("the layer crossed the link").isGreaterThanOrEqualTo(1_000_000 - row.path("lostBytes").asLong());
        assertThat(row.path("goodputRatio").asDouble()).as("against what the link delivers, B(1 - p): a lucky run loses less than p").isBetween(0.0, 1.5);
    }

    @Test
    void aSmallGeoUpdateIsMeasuredInBothModesAgainstTheLimit() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        bench().convergence(List.of(Bench.scenario("geo", 64 * 1024L)), true, dir, new PrintStream(printed, true, StandardCharsets.UTF_8));

        String table = printed.toString(StandardCharsets.UTF_8);
        assertThat(table).contains("2L + N/(B(1 - p))", "link bytes", "seed/outpost").containsPattern("(?m)^geo\\s+outpost\\s+300\\s+2000000\\s+\\d+\\s+\\d+\\.\\d\\d");
        var rows = Json.MAPPER.readTree(dir.resolve("bench.json").toFile());
        var outpost = rows.get(0);
        var push = rows.get(1);
        var seed = rows.get(2);
        assertThat(push.path("mode").asText()).isEqualTo("PUSH");
        assertThat(push.path("seconds").asDouble()).as("never faster than one way").isGreaterThan(push.path("limitSeconds").asDouble());
        assertThat(push.path("limitSeconds").asDouble()).isLessThan(outpost.path("limitSeconds").asDouble());
        long newBytes = outpost.path("newBytes").asLong();
        assertThat(newBytes).as("the changed layer and the new config").isBetween(64 * 1024L, 64 * 1024L + 1024);
        assertThat(outpost.path("seconds").asDouble()).as("never faster than physics").isGreaterThan(outpost.path("limitSeconds").asDouble());
        assertThat(outpost.path("linkBytes").asLong()).isBetween(newBytes, newBytes + 64 * 1024);
        assertThat(seed.path("mode").asText()).isEqualTo("SEED");
        assertThat(seed.path("linkBytes").asLong()).as("the seed design moves every layer").isGreaterThan(4 * 64 * 1024L);
        assertThat(java.nio.file.Files.readString(dir.resolve("bench.svg"))).startsWith("<svg").contains("geo", "Outpost, pull", "Outpost, push", "seed design");
    }

    @Test
    void aShortReplayMeasuresEachAnswerBesideCGitsBundleOfTheSameRange() throws Exception {
        GitHistoryScenario.Result result = new GitHistoryScenario(20, 4, java.time.Duration.ofMillis(10)).run(dir, Path.of("/usr/bin/docker-registry"),
                Path.of(System.getProperty("outpost.terraform", "/usr/local/bin/terraform")));

        assertThat(result.updates()).hasSize(4).allSatisfy(update -> {
            assertThat(update.gitBundleBytes()).as("C git's bundle of one commit").isBetween(200L, 5_000L);
            assertThat(update.linkBytes()).as("the answer that crossed").isBetween(200L, 5_000L);
            assertThat(update.requestBytes()).as("the sync that asked").isPositive();
        });
        assertThat(result.initialLinkBytes()).as("the first sync carries the whole history").isGreaterThan(result.updateLinkBytes());
        assertThat(result.updateRatio()).isEqualTo((double) result.updateLinkBytes() / result.updateGitBundleBytes());
    }

    @Test
    void anOutageThatFallsWithinTheUpdateIsPartOfItsLimit() {
        ConvergenceScenario geo = Bench.scenario("geo", null);
        ConvergenceScenario outage = Bench.scenario("outage", null);
        long newBytes = 2 * 1024 * 1024;

        assertThat(outage.limitSeconds(ConvergenceScenario.Mode.OUTPOST, newBytes))
                .isEqualTo(geo.limitSeconds(ConvergenceScenario.Mode.OUTPOST, newBytes) + 8, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(Bench.custom(java.time.Duration.ofSeconds(10), 1_000_000, 0, java.time.Duration.ofSeconds(5), 1000L)
                .limitSeconds(ConvergenceScenario.Mode.OUTPOST, 1000)).as("an update done before the outage begins").isEqualTo(20.001);
    }

    private static Bench bench() {
        return new Bench(Path.of("/usr/bin/docker-registry"), Path.of(System.getProperty("outpost.terraform", "/usr/local/bin/terraform")));
    }
}
