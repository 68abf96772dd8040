package io.outpost.journeys;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.broker.TwoSites;
import io.outpost.brokerclient.Addresses;
import io.outpost.cli.OneMachine;
import io.outpost.iacworker.RunOutcome;
import io.outpost.iacworker.RunRecord;
import io.outpost.iacworker.StackRunner;
import io.outpost.link.LinkDirection;
import io.outpost.link.LinkTotal;
import io.outpost.registry.LocalRegistry;
import io.outpost.txrxsim.link.LinkSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Faults at the outpost are handled at the outpost: what arrived waits there for the cause to clear and never crosses the link again. */
class LocalFaultsIT {
    @RegisterExtension
    final SitesWithRegistries loop = new SitesWithRegistries();
    private final TwoSites sites = loop.sites;
    private final LocalRegistry outpost = loop.outpost;

    @Test
    void anImageThatArrivesWhileTheLocalRegistryIsDown30sIsKeptAndAppliedWhenItAnswersNothingDeadLettered() throws Exception {
        // a run gives up on the link after 6 s: the one while the registry is down ends pending that soon
        OneMachine.Running running = Journeys.start(sites, sites.camel(), loop.registries(), new LinkSettings(Duration.ofMillis(200), Duration.ZERO, 0),
                Duration.ofSeconds(6));
        RunRecord first = running.runner().run(StackRunner.SCHEDULED);
        assertThat(first.outcome()).as(String.valueOf(first.error())).isEqualTo(RunOutcome.CONVERGED);
        Map<String, LinkTotal> before = running.link().totals().get(LinkDirection.TO_OUTPOST.tag());

        outpost.stop();
        long stoppedAt = System.currentTimeMillis();
        running.origin().publishNext();
        RunRecord whileDown = running.runner().run(StackRunner.SCHEDULED);
        Path kept = sites.data().resolve("outpost/deferred");
        assertThat(whileDown.outcome()).as("the image waits for the registry").isEqualTo(RunOutcome.PENDING);
        assertThat(Files.list(kept).count()).as("the image's messages, kept at the outpost").isPositive();
        // down for 30 s in all, retried with backoff meanwhile
        Thread.sleep(Math.max(0, stoppedAt + 30_000 - System.currentTimeMillis()));
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
        long carried = ImageBytesCarried.between(before, now);
        assertThat(carried).as("the new layers crossed once").isBetween(newBlobs, newBlobs * 11 / 10 + 4096);
    }
}
