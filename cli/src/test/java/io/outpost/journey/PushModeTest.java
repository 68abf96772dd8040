package io.outpost.journey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.outpost.cli.OneMachine;
import io.outpost.link.LinkDirection;
import io.outpost.link.LinkSettings;
import io.outpost.link.LinkTotal;
import io.outpost.protocol.MessageTypes;
import io.outpost.protocol.SyncMode;
import io.outpost.registry.LocalRegistry;
import io.outpost.site.OperatorEvents;
import io.outpost.site.TwoSites;
import io.outpost.worker.RunOutcome;
import io.outpost.worker.RunRecord;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Push mode: the outpost subscribes once; each release at the origin arrives unasked and is applied. */
class PushModeTest {
    @RegisterExtension
    final SitesWithRegistries loop = new SitesWithRegistries();
    private final TwoSites sites = loop.sites;
    private final LocalRegistry origin = loop.origin;
    private final LocalRegistry outpost = loop.outpost;

    @Test
    void releasesConvergeWithNoRequestFromTheOutpost() throws Exception {
        OneMachine.Running running = new OneMachine(sites.data(), new OneMachine.DemoSettings(
                new LinkSettings(Duration.ofMillis(200), Duration.ZERO, 0), null, Duration.ofHours(1), Duration.ofHours(1), Duration.ofSeconds(20),
                Journeys.TERRAFORM, loop.registries(), SyncMode.PUSH),
                new SimpleMeterRegistry(), OperatorEvents.printingTo(System.out, Clock.systemUTC()), Clock.systemUTC()).install(sites.camel());

        await().atMost(Duration.ofSeconds(60)).until(() -> converged(running, "1"));
        running.origin().publishNext();
        await().atMost(Duration.ofSeconds(60)).until(() -> converged(running, "2"));

        Map<String, LinkTotal> toUpstream = running.link().totals().get(LinkDirection.TO_UPSTREAM.tag());
        assertThat(List.of(MessageTypes.GIT_SYNC, MessageTypes.IMAGE_PULL, MessageTypes.PROVIDER_GET)).as("requests on the link")
                .allSatisfy(type -> assertThat(toUpstream).doesNotContainKey(type));
        assertThat(toUpstream.get(MessageTypes.SUBSCRIBE).messages()).as("the subscription and one acknowledgement per update").isEqualTo(3);
    }

    private static boolean converged(OneMachine.Running running, String release) {
        List<RunRecord> last = running.runner().history().last(1);
        return !last.isEmpty() && last.get(0).outcome() == RunOutcome.CONVERGED && release.equals(last.get(0).outputs().get("release"));
    }
}
