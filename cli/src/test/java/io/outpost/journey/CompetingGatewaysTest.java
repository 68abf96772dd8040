package io.outpost.journey;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.outpost.cli.OneMachine;
import io.outpost.gateway.outpost.OutpostGateway;
import io.outpost.link.LinkSettings;
import io.outpost.protocol.SyncMode;
import io.outpost.site.OperatorEvents;
import io.outpost.site.TransferTiming;
import io.outpost.site.TwoSites;
import io.outpost.worker.RunOutcome;
import io.outpost.worker.RunRecord;
import io.outpost.worker.StackRunner;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
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
class CompetingGatewaysTest {
    private static final int SHARED = 3;
    private static final int ALONE = 2;

    @RegisterExtension
    final SitesWithRegistries loop = new SitesWithRegistries();
    private final TwoSites sites = loop.sites;

    @Test
    void twoGatewaysShareTheWorkAndApplyEachAnswerOnce() throws Exception {
        List<String> first = new CopyOnWriteArrayList<>();
        List<String> second = new CopyOnWriteArrayList<>();
        OneMachine.Running running = new OneMachine(sites.data(), new OneMachine.DemoSettings(new LinkSettings(Duration.ofMillis(200), Duration.ZERO, 0),
                null, Duration.ofHours(1), Duration.ofHours(1), Duration.ofSeconds(20), Journeys.TERRAFORM, loop.registries(), SyncMode.PULL),
                new SimpleMeterRegistry(), collecting("gateway 1", first), Clock.systemUTC()).install(sites.camel());
        CamelContext withSecond = sites.camel();
        // the second gateway's resend-after is longer than a run: had it not learnt of answers the first applied, it would coalesce the next request into a stale one
        new OutpostGateway(OneMachine.OUTPOST_NAME, sites.data().resolve("outpost"), loop.outpost.client().endpoint(), OneMachine.CHUNK_SIZE,
                TransferTiming.forRoundTrip(Duration.ofMillis(400)), Duration.ofSeconds(6), Duration.ofHours(1), 0, List.of(), List.of(),
                collecting("gateway 2", second), new SimpleMeterRegistry(), Clock.systemUTC()).install(withSecond);

        converge(running, 1, SHARED);
        assertThat(applied(first, second, "<- GitBundle")).as("one bundle applied per release, by one gateway").hasSize(SHARED);
        assertThat(applied(first, second, "<- ImageContent")).as("one image applied per release, by one gateway").hasSize(SHARED);

        // the second gateway stops: its consumers close, and the first takes all the work
        withSecond.stop();
        int secondBefore = second.size();
        int firstBundlesBefore = applied(first, List.of(), "<- GitBundle").size();
        converge(running, SHARED + 1, SHARED + ALONE);

        assertThat(second).as("gateway 2 did nothing more").hasSize(secondBefore);
        assertThat(applied(first, List.of(), "<- GitBundle")).as("gateway 1 applied the releases after").hasSize(firstBundlesBefore + ALONE);
        assertThat(applied(first, second, "<- GitBundle")).as("still one bundle per release").hasSize(SHARED + ALONE);
        assertThat(applied(first, second, "<- ImageContent")).as("still one image per release").hasSize(SHARED + ALONE);
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

    private static OperatorEvents collecting(String name, List<String> lines) {
        OperatorEvents printing = OperatorEvents.printingTo(System.out, Clock.systemUTC());
        return line -> {
            lines.add(line);
            printing.emit(name + ": " + line);
        };
    }

    private static List<String> applied(List<String> first, List<String> second, String prefix) {
        return Stream.concat(first.stream(), second.stream())
                .filter(line -> line.startsWith(prefix) && !line.contains("waits for") && !line.contains("waiting for") && !line.contains("REJECTED"))
                .toList();
    }
}
