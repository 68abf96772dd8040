package io.outpost.journeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.outpost.broker.TwoSites;
import io.outpost.brokerclient.Addresses;
import io.outpost.cli.OneMachine;
import io.outpost.events.OperatorEvents;
import io.outpost.iacworker.RunOutcome;
import io.outpost.iacworker.RunRecord;
import io.outpost.link.LinkDirection;
import io.outpost.link.LinkTotal;
import io.outpost.protocol.MessageTypes;
import io.outpost.protocol.SyncMode;
import io.outpost.registry.LocalRegistry;
import io.outpost.registry.ManifestContents;
import io.outpost.txrxsim.link.LinkSettings;
import io.outpost.txrxsim.origin.DemoImages;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Push mode: the outpost subscribes once; each release at the origin arrives unasked and is applied. */
class PushModeIT {
    @RegisterExtension
    final SitesWithRegistries loop = new SitesWithRegistries();
    private final TwoSites sites = loop.sites;
    private final LocalRegistry origin = loop.origin;
    private final LocalRegistry outpost = loop.outpost;

    @Test
    void releasesConvergeWithNoRequestFromTheOutpost() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        OneMachine.Running running = new OneMachine(sites.data(), new OneMachine.DemoSettings(
                new LinkSettings(Duration.ofMillis(200), Duration.ZERO, 0), null, Duration.ofHours(1), Duration.ofHours(1), Duration.ofSeconds(20),
                Journeys.TERRAFORM, loop.registries(), SyncMode.PUSH),
                meters, OperatorEvents.printingTo(System.out, Clock.systemUTC()), Clock.systemUTC()).install(sites.camel());

        await().atMost(Duration.ofSeconds(60)).until(() -> converged(running, "1"));
        String first = running.runner().history().last(1).get(0).outputs().get("image");
        assertThat(reused(meters)).as("a new outpost held nothing").isZero();
        running.origin().publishNext();
        await().atMost(Duration.ofSeconds(60)).until(() -> converged(running, "2"));
        String second = running.runner().history().last(1).get(0).outputs().get("image");
        assertThat(reused(meters)).as("the layers release 2 shares with release 1, not pushed again").isEqualTo(sharedBytes(first, second));

        Map<String, LinkTotal> toUpstream = running.link().totals().get(LinkDirection.TO_UPSTREAM.tag());
        assertThat(List.of(MessageTypes.GIT_SYNC, MessageTypes.IMAGE_PULL, MessageTypes.PROVIDER_GET)).as("requests on the link")
                .allSatisfy(type -> assertThat(toUpstream).doesNotContainKey(type));
        assertThat(toUpstream.get(MessageTypes.SUBSCRIBE).messages()).as("the subscription and one acknowledgement per update").isEqualTo(3);
    }

    @Test
    void aSubscriptionLostOnTheLinkIsSentAgainAndTheReleaseArrives() throws Exception {
        AtomicBoolean lost = new AtomicBoolean();
        OneMachine.Running running = losingTheFirst(MessageTypes.SUBSCRIBE, LinkDirection.TO_UPSTREAM, lost);

        await().atMost(Duration.ofSeconds(90)).until(() -> converged(running, "1"));
        running.origin().publishNext();
        await().atMost(Duration.ofSeconds(90)).until(() -> converged(running, "2"));
        assertThat(lost).as("the first subscription was lost").isTrue();
    }

    @Test
    void aPushedBundleLostOnTheLinkIsPushedAgainAndTheReleaseArrives() throws Exception {
        AtomicBoolean lost = new AtomicBoolean();
        // the bundle is small: it travels inside its message, with no transfer of its own to recover it
        OneMachine.Running running = losingTheFirst(MessageTypes.GIT_BUNDLE, LinkDirection.TO_OUTPOST, lost);

        await().atMost(Duration.ofSeconds(90)).until(() -> converged(running, "1"));

        assertThat(lost).as("the first pushed bundle was lost").isTrue();
        assertThat(running.link().totals().get(LinkDirection.TO_OUTPOST.tag()).get(MessageTypes.GIT_BUNDLE).messages())
                .as("the lost push never crossed: the bundle that did is the second push, once the first went unacknowledged").isEqualTo(1);
    }

    /** The loop in push mode, its link losing the first message of {@code type} going {@code direction}; {@code lost} says when it has. */
    private OneMachine.Running losingTheFirst(String type, LinkDirection direction, AtomicBoolean lost) throws Exception {
        CamelContext camel = sites.notStarted();
        OneMachine.Running running = new OneMachine(sites.data(), new OneMachine.DemoSettings(
                new LinkSettings(Duration.ofMillis(200), Duration.ZERO, 0), null, Duration.ofHours(1), Duration.ofHours(1), Duration.ofSeconds(20),
                Journeys.TERRAFORM, loop.registries(), SyncMode.PUSH),
                new SimpleMeterRegistry(), OperatorEvents.printingTo(System.out, Clock.systemUTC()), Clock.systemUTC()).install(camel);
        AdviceWith.adviceWith(camel, "link-" + direction.tag(), route -> route.weaveAddFirst().process(exchange -> {
            if (type.equals(exchange.getIn().getHeader(Addresses.TYPE)) && lost.compareAndSet(false, true)) {
                exchange.setRouteStop(true);
            }
        }));
        camel.start();
        return running;
    }

    private static double reused(SimpleMeterRegistry meters) {
        return meters.get("outpost.image.bytes.reused").counter().count();
    }

    /** Bytes of the blobs of image {@code next} that image {@code previous} has too, read at the origin. */
    private double sharedBytes(String previous, String next) {
        List<String> had = blobs(previous).stream().map(ManifestContents.Descriptor::digest).toList();
        return blobs(next).stream().filter(blob -> had.contains(blob.digest())).mapToLong(ManifestContents.Descriptor::size).sum();
    }

    private List<ManifestContents.Descriptor> blobs(String image) {
        return ManifestContents.of(origin.client().manifest(DemoImages.REPOSITORY, image.substring(image.indexOf('@') + 1))).blobs();
    }

    private static boolean converged(OneMachine.Running running, String release) {
        List<RunRecord> last = running.runner().history().last(1);
        return !last.isEmpty() && last.get(0).outcome() == RunOutcome.CONVERGED && release.equals(last.get(0).outputs().get("release"));
    }
}
