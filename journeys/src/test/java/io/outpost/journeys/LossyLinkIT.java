package io.outpost.journeys;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.outpost.broker.TwoSites;
import io.outpost.cli.OneMachine;
import io.outpost.cli.Quantities;
import io.outpost.iacworker.RunOutcome;
import io.outpost.iacworker.RunRecord;
import io.outpost.iacworker.StackRunner;
import io.outpost.link.LinkTotal;
import io.outpost.link.OutageSchedule;
import io.outpost.protocol.ImagePull;
import io.outpost.protocol.MessageTypes;
import io.outpost.protocol.Ready;
import io.outpost.protocol.transfer.Chunk;
import io.outpost.registry.LocalRegistry;
import io.outpost.registry.Manifest;
import io.outpost.registry.TestImages;
import io.outpost.txrxsim.link.LinkFaults;
import io.outpost.txrxsim.link.LinkSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Loss, corruption, outages, duplicates and reordering delay transfers; they do not break them. */
class LossyLinkIT {
    private static final Duration DELAY = Duration.ofMillis(100);

    @RegisterExtension
    final SitesWithRegistries loop = new SitesWithRegistries();
    private final TwoSites sites = loop.sites;
    private final LocalRegistry origin = loop.origin;
    private final LocalRegistry outpost = loop.outpost;

    @TempDir
    Path scratch;

    @Test
    void a20MBImageCrosses20PercentLossAnd1PercentCorruptionIntactResendingOnlyWhatWasLost() throws Exception {
        Manifest image = image("demo/big", 20_000_000);
        OneMachine.Running running = start(new LinkFaults(0.2, 0.01, 0, 0), OutageSchedule.alwaysUp());

        assertThat(pull(running, "demo/big").status()).isEqualTo(Ready.Status.UPDATED);
        assertThat(outpost.client().manifest("demo/big", "v1").digest()).isEqualTo(image.digest());

        Map<String, Map<String, LinkTotal>> totals = running.link().totals();
        LinkTotal crossed = totals.get("to-outpost").get(MessageTypes.CHUNK);
        LinkTotal lost = totals.getOrDefault("lost-to-outpost", Map.of()).getOrDefault(MessageTypes.CHUNK, new LinkTotal(0, 0));
        long frame = (crossed.bytes() + lost.bytes()) / (crossed.messages() + lost.messages());
        long chunks = (20_000_000 + Chunk.SIZE - 1) / Chunk.SIZE;
        long resentBytes = crossed.bytes() + lost.bytes() - chunks * frame;
        System.out.printf("20 MB over 20%% loss: %d chunks lost (%d bytes), %d bytes resent%n", lost.messages(), lost.bytes(), resentBytes);
        assertThat(lost.messages()).as("the link did lose chunks").isPositive();
        assertThat(resentBytes).isLessThanOrEqualTo((long) (1.5 * lost.bytes()) + lost.messages() * frame);
    }

    @ParameterizedTest(name = "{0} of messages lost")
    @ValueSource(doubles = {0.05, 0.2})
    void atMarsScaledDistanceLostChunksAreRebuiltFromRepairChunksAndTheImageArrives(double loss) throws Exception {
        Manifest image = image("demo/mars", 2_000_000);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        // Mars' mean one-way delay scaled by 1/500, at 2 Mbit/s: a round trip (3 s) costs more than the chunk that spares it
        OneMachine.Running running = Journeys.start(sites, sites.camel(), loop.registries(),
                new LinkSettings(Duration.ofMillis(1500), Duration.ZERO, 250_000, new LinkFaults(loss, 0, 0, 0), OutageSchedule.alwaysUp(), 20261202L),
                Duration.ofSeconds(20), meters);

        assertThat(pull(running, "demo/mars").status()).isEqualTo(Ready.Status.UPDATED);
        assertThat(outpost.client().manifest("demo/mars", "v1").digest()).isEqualTo(image.digest());

        Map<String, Map<String, LinkTotal>> totals = running.link().totals();
        Map<String, LinkTotal> lost = totals.getOrDefault("lost-to-outpost", Map.of());
        long repairsSent = count(totals.get("to-outpost"), MessageTypes.REPAIR_CHUNK) + count(lost, MessageTypes.REPAIR_CHUNK);
        long chunksSent = count(totals.get("to-outpost"), MessageTypes.CHUNK) + count(lost, MessageTypes.CHUNK);
        long chunksLost = count(lost, MessageTypes.CHUNK);
        double rebuilt = meters.get("outpost.transfer.chunks.rebuilt").tag("site", "outpost").functionCounter().count();
        System.out.printf("L = 1.5 s, %.0f%% loss: %d repair chunks sent, %d of %d data chunks lost, %.0f rebuilt%n", loss * 100, repairsSent,
                chunksLost, chunksSent, rebuilt);
        long layerChunks = (2_000_000 + Chunk.SIZE - 1) / Chunk.SIZE;
        assertThat(repairsSent).as("the layer's one block was coded for the link's loss").isPositive();
        if (chunksLost + count(lost, MessageTypes.REPAIR_CHUNK) <= repairsSent) {
            assertThat(rebuilt).as("every lost chunk rebuilt at the outpost").isEqualTo((double) chunksLost);
            assertThat(chunksSent).as("nothing sent again: no round trip").isEqualTo(layerChunks);
        } else {
            assertThat(chunksSent).as("the block lost more than its repairs: its lost chunks were sent again").isGreaterThan(layerChunks);
        }
    }

    private static long count(Map<String, LinkTotal> totals, String type) {
        return totals.getOrDefault(type, new LinkTotal(0, 0)).messages();
    }

    @Test
    void anOutageInTheMiddleOfATransferDelaysItButDoesNotBreakIt() throws Exception {
        Manifest image = image("demo/outage", 6_000_000);
        Instant outageStart = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.SECONDS);
        OutageSchedule windows = OutageSchedule.parse("down " + outageStart + "+4s", Quantities::duration);
        OneMachine.Running running = start(LinkFaults.NONE, windows, 2_000_000);

        Ready ready = pull(running, "demo/outage");

        assertThat(ready.status()).isEqualTo(Ready.Status.UPDATED);
        assertThat(Instant.now()).as("finished after the outage").isAfter(outageStart.plusSeconds(4));
        assertThat(outpost.client().manifest("demo/outage", "v1").digest()).isEqualTo(image.digest());
    }

    @Test
    void duplicatedAndReorderedMessagesAreHarmless() throws Exception {
        Manifest image = image("demo/shuffled", 3_000_000);
        OneMachine.Running running = start(new LinkFaults(0, 0, 0.3, 0.3), OutageSchedule.alwaysUp());

        assertThat(pull(running, "demo/shuffled").status()).isEqualTo(Ready.Status.UPDATED);
        RunRecord run = running.runner().run(StackRunner.SCHEDULED);

        assertThat(outpost.client().manifest("demo/shuffled", "v1").digest()).isEqualTo(image.digest());
        assertThat(run.outcome()).as(String.valueOf(run.error())).isEqualTo(RunOutcome.CONVERGED);
        assertThat(running.link().totals().get("to-outpost").values().stream().mapToLong(LinkTotal::messages).sum())
                .as("some messages did arrive twice").isGreaterThan(running.link().totals().get("to-upstream").size());
    }

    private Manifest image(String repository, long layerSize) throws Exception {
        TestImages images = new TestImages(origin.client(), scratch);
        return images.image(repository, "v1", images.config(repository, "{}"), List.of(images.layer(repository, layerSize, layerSize)));
    }

    private OneMachine.Running start(LinkFaults faults, OutageSchedule windows) throws Exception {
        return start(faults, windows, 0);
    }

    private OneMachine.Running start(LinkFaults faults, OutageSchedule windows, long bandwidth) throws Exception {
        return Journeys.start(sites, sites.camel(), loop.registries(),
                new LinkSettings(DELAY, Duration.ZERO, bandwidth, faults, windows, 20261123L), Duration.ofSeconds(20));
    }

    /** Pulls until the image is in, as the worker's runs would: a request lost on the link is asked again. */
    private static Ready pull(OneMachine.Running running, String repository) throws Exception {
        Ready ready = null;
        for (int attempt = 0; attempt < 12 && (ready == null || ready.status() == Ready.Status.FAILED); attempt++) {
            try {
                ready = running.gateway().pull(repository, "v1", ImagePull.DEFAULT_PLATFORM).get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException lostOnTheLink) {
                ready = null;
            }
        }
        return ready;
    }
}
