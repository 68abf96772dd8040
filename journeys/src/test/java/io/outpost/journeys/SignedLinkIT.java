package io.outpost.journeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.outpost.broker.TwoSites;
import io.outpost.brokerclient.Addresses;
import io.outpost.cli.OneMachine;
import io.outpost.events.OperatorEvents;
import io.outpost.gateway.outpost.git.LocalRemotes;
import io.outpost.iacworker.RunOutcome;
import io.outpost.iacworker.RunRecord;
import io.outpost.iacworker.StackRunner;
import io.outpost.link.trust.FrameSignatures;
import io.outpost.link.trust.SeenFrames;
import io.outpost.link.trust.SiteKeys;
import io.outpost.link.trust.TrustedKeys;
import io.outpost.protocol.MessageTypes;
import io.outpost.protocol.transfer.Chunk;
import io.outpost.txrxsim.link.LinkSettings;
import io.outpost.txrxsim.origin.DemoOrigin;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Whoever can put frames on the link cannot get them applied: replays and frames signed by strangers or impostors are refused and counted. */
class SignedLinkIT {
    @RegisterExtension
    final TwoSites sites = new TwoSites();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private OneMachine.Running running;

    @Test
    void aReplayedFrameADamagedOneAndFramesSignedByAStrangerOrAnImpostorAreRefusedCountedAndChangeNothing() throws Exception {
        CamelContext camel = sites.camel();
        running = new OneMachine(sites.data(), new OneMachine.DemoSettings(new LinkSettings(Duration.ofMillis(100), Duration.ZERO, 0),
                null, Duration.ofHours(1), Duration.ofHours(1), Duration.ofSeconds(20), Journeys.TERRAFORM, null),
                meters, OperatorEvents.printingTo(System.out, Clock.systemUTC()), Clock.systemUTC()).install(camel);
        List<byte[]> bundles = new CopyOnWriteArrayList<>();
        AdviceWith.adviceWith(camel, "link-to-outpost", route -> route.weaveAddLast().process(exchange -> {
            if (MessageTypes.GIT_BUNDLE.equals(exchange.getIn().getHeader(Addresses.TYPE))) {
                bundles.add(exchange.getIn().getBody(byte[].class));
            }
        }));
        assertThat(run().outcome()).isEqualTo(RunOutcome.CONVERGED);
        running.origin().publishNext();
        assertThat(run().outputs()).containsEntry("release", "2");
        Map<String, String> tips = new LocalRemotes(sites.data().resolve("outpost/git"), Clock.systemUTC())
                .tips(OneMachine.CONFIG_REPO, List.of(DemoOrigin.BRANCH));
        byte[] firstBundle = bundles.get(0);
        byte[] inner = new LinkFrames(sites.data(), OneMachine.OUTPOST_NAME, Chunk.SIZE).unsigned(firstBundle);

        putOnTheOutpostsLink(camel, firstBundle);
        byte[] damaged = firstBundle.clone();
        damaged[damaged.length / 3] ^= 0x10;
        putOnTheOutpostsLink(camel, damaged);
        putOnTheOutpostsLink(camel, signer(sites.data().resolve("stranger"), "stranger").sign(inner));
        putOnTheOutpostsLink(camel, signer(sites.data().resolve("impostor"), "upstream").sign(inner));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(refused("replayed")).isEqualTo(1);
            assertThat(refused("untrusted")).isEqualTo(1);
            assertThat(refused("bad-signature")).isEqualTo(1);
            assertThat(refused("corrupted")).isEqualTo(1);
            assertThat(sites.outpost().depth(Addresses.DEAD)).as("the forged and the foreign frame; the damaged one counts as lost, the replay as seen")
                    .isEqualTo(2);
        });
        assertThat(new LocalRemotes(sites.data().resolve("outpost/git"), Clock.systemUTC()).tips(OneMachine.CONFIG_REPO, List.of(DemoOrigin.BRANCH)))
                .as("release 1's bundle, replayed, did not move the branch back").isEqualTo(tips);
        running.origin().publishNext();
        assertThat(run().outputs()).as("the real upstream's frames are still accepted").containsEntry("release", "3");
    }

    private RunRecord run() {
        return running.runner().run(StackRunner.SCHEDULED);
    }

    private double refused(String reason) {
        return meters.get("outpost.link.rejected").tag("site", "outpost").tag("reason", reason).counter().count();
    }

    private static FrameSignatures signer(Path dir, String name) {
        SiteKeys keys = SiteKeys.loadOrCreate(dir.resolve("keys"), name);
        return new FrameSignatures(keys, "upstream", TrustedKeys.of(keys), new SeenFrames(dir.resolve("seen.log"), Instant.now()), Duration.ofDays(1), Clock.systemUTC());
    }

    private static void putOnTheOutpostsLink(CamelContext camel, byte[] frame) {
        camel.createProducerTemplate().sendBodyAndHeaders("outpost:queue:" + Addresses.LINK_INBOUND, frame, Map.of(Addresses.TYPE, MessageTypes.GIT_BUNDLE));
    }
}
