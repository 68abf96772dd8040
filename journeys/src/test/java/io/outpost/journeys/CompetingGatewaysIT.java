package io.outpost.journeys;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.outpost.broker.TwoSites;
import io.outpost.cli.OneMachine;
import io.outpost.data.DataDirectory;
import io.outpost.gateway.outpost.AnswerReceived;
import io.outpost.gateway.outpost.OutpostGateway;
import io.outpost.iacworker.RunOutcome;
import io.outpost.iacworker.RunRecord;
import io.outpost.iacworker.StackRunner;
import io.outpost.link.TransferTiming;
import io.outpost.protocol.MessageTypes;
import io.outpost.protocol.SyncMode;
import io.outpost.txrxsim.link.LinkSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * High availability at the outpost: two outpost gateways on one broker and one data directory, as
 * competing consumers of the workers' requests and of what the link delivers. Each answer (its blobs,
 * transfers, manifests and bundle, one message group) is taken whole by one gateway and applied once;
 * a request one gateway sent and the other answered does not block the next one; when one stops, the
 * other takes all the work.
 */
class CompetingGatewaysIT {
    private static final int SHARED = 3;
    private static final int ALONE = 2;

    @RegisterExtension
    final SitesWithRegistries loop = new SitesWithRegistries();
    private final TwoSites sites = loop.sites;

    @Test
    void twoGatewaysShareTheWorkAndApplyEachAnswerOnce() throws Exception {
        RecordedEvents first = new RecordedEvents("gateway 1");
        RecordedEvents second = new RecordedEvents("gateway 2");
        OneMachine.Running running = new OneMachine(sites.data(), new OneMachine.DemoSettings(new LinkSettings(Duration.ofMillis(200), Duration.ZERO, 0),
                null, Duration.ofHours(1), Duration.ofHours(1), Duration.ofSeconds(20), Journeys.TERRAFORM, loop.registries(), SyncMode.PULL),
                new SimpleMeterRegistry(), first, Clock.systemUTC()).install(sites.camel());
        CamelContext withSecond = sites.camel();
        // the second gateway's resend-after is longer than a run: had it not learnt of answers the first applied, it would coalesce the next request into a stale one
        OutpostGateway.builder(OneMachine.OUTPOST_NAME, new DataDirectory(sites.data()).outpost()).localRegistry(loop.outpost.client().endpoint())
                .timing(TransferTiming.forRoundTrip(Duration.ofMillis(400))).resendAfter(Duration.ofSeconds(6)).events(second).build().install(withSecond);

        converge(running, 1, SHARED);
        assertThat(applied(first, second, MessageTypes.GIT_BUNDLE)).as("one bundle applied per release, by one gateway").hasSize(SHARED);
        assertThat(applied(first, second, MessageTypes.IMAGE_CONTENT)).as("one image applied per release, by one gateway").hasSize(SHARED);

        // the second gateway stops: its consumers close, and the first takes all the work
        withSecond.stop();
        int secondBefore = second.size();
        int firstBundlesBefore = first.applied(MessageTypes.GIT_BUNDLE).size();
        converge(running, SHARED + 1, SHARED + ALONE);

        assertThat(second.size()).as("gateway 2 did nothing more").isEqualTo(secondBefore);
        assertThat(first.applied(MessageTypes.GIT_BUNDLE)).as("gateway 1 applied the releases after").hasSize(firstBundlesBefore + ALONE);
        assertThat(applied(first, second, MessageTypes.GIT_BUNDLE)).as("still one bundle per release").hasSize(SHARED + ALONE);
        assertThat(applied(first, second, MessageTypes.IMAGE_CONTENT)).as("still one image per release").hasSize(SHARED + ALONE);
    }

    private static void converge(OneMachine.Running running, int from, int to) {
        for (int release = from; release <= to; release++) {
            if (release > 1) {
                running.origin().publishNext();
            }
            RunRecord run = running.runner().run(StackRunner.SCHEDULED);
            assertThat(run.outcome()).as("release " + release + ": " + run.error()).isEqualTo(RunOutcome.CONVERGED);
            assertThat(run.outputs()).containsEntry("release", String.valueOf(release));
        }
    }

    private static List<AnswerReceived> applied(RecordedEvents first, RecordedEvents second, String type) {
        return Stream.concat(first.applied(type).stream(), second.applied(type).stream()).toList();
    }
}
