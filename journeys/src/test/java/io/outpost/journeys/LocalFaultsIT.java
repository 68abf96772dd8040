package io.outpost.journeys;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.broker.TwoSites;
import io.outpost.brokerclient.Addresses;
import io.outpost.cli.OneMachine;
import io.outpost.cli.SiteStatus;
import io.outpost.data.DataDirectory;
import io.outpost.iacworker.RunOutcome;
import io.outpost.iacworker.RunRecord;
import io.outpost.iacworker.StackRunner;
import io.outpost.link.LinkDirection;
import io.outpost.link.LinkTotal;
import io.outpost.protocol.MessageTypes;
import io.outpost.protocol.transfer.TransferProgress;
import io.outpost.registry.LocalRegistry;
import io.outpost.txrxsim.link.LinkSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Faults at the outpost are handled at the outpost: what arrived waits there for the cause to clear and never crosses the link again. */
class LocalFaultsIT {
    private static final List<String> CHUNKS = List.of(MessageTypes.CHUNK, MessageTypes.IMAGE_BLOB, MessageTypes.TRANSFER_START);

    @RegisterExtension
    final SitesWithRegistries loop = new SitesWithRegistries();
    private final TwoSites sites = loop.sites;
    private final LocalRegistry outpost = loop.outpost;

    @Test
    void anImageThatArrivesWhileTheLocalRegistryIsDownIsKeptAndAppliedWhenItAnswersNothingDeadLettered() throws Exception {
        // a run gives up on the link after 6 s: the one while the registry is down ends pending that soon
        OneMachine.Running running = Journeys.start(sites, sites.camel(), loop.registries(), new LinkSettings(Duration.ofMillis(200), Duration.ZERO, 0),
                Duration.ofSeconds(6));
        RunRecord first = running.runner().run(StackRunner.SCHEDULED);
        assertThat(first.outcome()).as(String.valueOf(first.error())).isEqualTo(RunOutcome.CONVERGED);
        Map<String, LinkTotal> before = running.link().totals().get(LinkDirection.TO_OUTPOST.tag());

        outpost.stop();
        running.origin().publishNext();
        RunRecord whileDown = running.runner().run(StackRunner.SCHEDULED);
        Path kept = sites.data().resolve("outpost/deferred");
        assertThat(whileDown.outcome()).as("the image waits for the registry").isEqualTo(RunOutcome.PENDING);
        assertThat(Files.list(kept).count()).as("the image's messages, kept at the outpost").isPositive();
        outpost.restart();
        long deadline = System.currentTimeMillis() + 30_000;
        while (Files.list(kept).findAny().isPresent() && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        RunRecord after = running.runner().run(StackRunner.SCHEDULED);

        assertThat(after.outcome()).as(String.valueOf(after.error())).isEqualTo(RunOutcome.CONVERGED);
        assertThat(after.outputs()).containsEntry("release", "2");
        assertThat(sites.camel().createConsumerTemplate().receiveNoWait("outpost:queue:" + Addresses.DEAD)).as("nothing dead-lettered").isNull();
        assertThat(Files.list(kept).count()).as("everything kept was applied").isZero();
        long newBlobs = loop.newBlobBytes(first.outputs().get("image"), after.outputs().get("image"));
        Map<String, LinkTotal> now = running.link().totals().get(LinkDirection.TO_OUTPOST.tag());
        long carried = CHUNKS.stream().mapToLong(type -> now.getOrDefault(type, new LinkTotal(0, 0)).bytes()
                - before.getOrDefault(type, new LinkTotal(0, 0)).bytes()).sum();
        assertThat(carried).as("the new layers crossed once").isBetween(newBlobs, newBlobs * 11 / 10 + 4096);
    }

    @Test
    void aLayerTheOutpostHasNoRoomForWaitsAtTheUpstreamUntilThereIsRoomThenCrossesOnceNothingDeadLettered() throws Exception {
        Assumptions.assumeTrue(isRoot(), "mounts a small tmpfs under the outpost's transfers: needs root (CI runs as root)");
        Path transfers = new DataDirectory(sites.data()).outpost().transfersIn();
        Files.createDirectories(transfers);
        run("mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", transfers.toString());
        try {
            OneMachine.Running running = Journeys.start(sites, sites.camel(), loop.registries(), new LinkSettings(Duration.ofMillis(200), Duration.ZERO, 0),
                    Duration.ofSeconds(6));
            RunRecord first = running.runner().run(StackRunner.SCHEDULED);
            assertThat(first.outcome()).as(String.valueOf(first.error())).isEqualTo(RunOutcome.CONVERGED);
            Map<String, LinkTotal> before = running.link().totals().get(LinkDirection.TO_OUTPOST.tag());

            // room for the small messages around a transfer (the reserve), none for the release's new layer
            run("mount", "-o", "remount,size=1m", transfers.toString());
            running.origin().publishNext();
            RunRecord whileFull = running.runner().run(StackRunner.SCHEDULED);
            assertThat(whileFull.outcome()).as("the layer waits for room").isEqualTo(RunOutcome.PENDING);
            List<TransferProgress> waiting = SiteStatus.read(sites.data(), 1).transfers();
            assertThat(waiting).as("status says what waits and why, with no ETA").singleElement().satisfies(transfer -> {
                assertThat(transfer.waiting()).isNotNull();
                assertThat(transfer.waiting().storedAt()).isEqualTo(transfers.toString());
                assertThat(transfer.waiting().neededBytes()).isEqualTo(transfer.size());
                assertThat(transfer.eta()).isEmpty();
            });
            Map<String, LinkTotal> whileHeld = running.link().totals().get(LinkDirection.TO_OUTPOST.tag());
            assertThat(bytes(whileHeld, MessageTypes.CHUNK) - bytes(before, MessageTypes.CHUNK)).as("no chunk sent while the outpost has no room").isZero();

            run("mount", "-o", "remount,size=64m", transfers.toString());
            RunRecord after = running.runner().run(StackRunner.SCHEDULED);
            assertThat(after.outcome()).as(String.valueOf(after.error())).isEqualTo(RunOutcome.CONVERGED);
            assertThat(after.outputs()).containsEntry("release", "2");
            assertThat(sites.camel().createConsumerTemplate().receiveNoWait("outpost:queue:" + Addresses.DEAD)).as("nothing dead-lettered").isNull();
            long newBlobs = loop.newBlobBytes(first.outputs().get("image"), after.outputs().get("image"));
            Map<String, LinkTotal> now = running.link().totals().get(LinkDirection.TO_OUTPOST.tag());
            long carried = CHUNKS.stream().mapToLong(type -> bytes(now, type) - bytes(before, type)).sum();
            assertThat(carried).as("the new layers crossed once").isBetween(newBlobs, newBlobs * 11 / 10 + 4096);
        } finally {
            run("umount", "-l", transfers.toString());
        }
    }

    private static long bytes(Map<String, LinkTotal> totals, String type) {
        return totals.getOrDefault(type, new LinkTotal(0, 0)).bytes();
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(String.join(" ", command) + ": " + output).isZero();
    }
}
