package io.outpost.journeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.outpost.broker.TwoSites;
import io.outpost.brokerclient.BrokerRole;
import io.outpost.cli.OneMachine;
import io.outpost.cli.Quantities;
import io.outpost.cli.UpstreamJoinLine;
import io.outpost.data.DataDirectory;
import io.outpost.data.SiteData;
import io.outpost.events.OperatorEvents;
import io.outpost.iacworker.RunOutcome;
import io.outpost.iacworker.RunRecord;
import io.outpost.iacworker.StackRunner;
import io.outpost.link.LinkAccounting;
import io.outpost.link.LinkDirection;
import io.outpost.link.OutageSchedule;
import io.outpost.link.network.JoinLine;
import io.outpost.link.network.LinkGovernor;
import io.outpost.link.network.LinkWindow;
import io.outpost.link.network.NetworkLink;
import io.outpost.link.network.UpstreamTrust;
import io.outpost.txrxsim.link.LinkSettings;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The link over TCP and TLS, as between two machines: the outpost joins the upstream with the line the
 * upstream prints, dials the upstream's broker as the link user, and releases converge over it; the
 * upstream's broker restarting between releases costs nothing but the reconnect.
 */
class NetworkLinkIT {
    @RegisterExtension
    final SitesWithRegistries loop = new SitesWithRegistries(TwoSites.withUpstreamListening());
    private final TwoSites sites = loop.sites;

    @Test
    void anOutpostThatJoinedItsUpstreamConvergesOverTheNetworkLink() throws Exception {
        DataDirectory data = new DataDirectory(sites.data());
        UpstreamTrust trust = new UpstreamTrust(data.outpost().upstreamLink());
        trust.join(UpstreamJoinLine.of(data.upstream(), "127.0.0.1:" + sites.upstream().tcpPort()), Duration.ofSeconds(10));
        LinkAccounting counted = new LinkAccounting(new SimpleMeterRegistry(), data.linkStats());
        NetworkLink link = new NetworkLink(trust.access("127.0.0.1:" + sites.upstream().tcpPort(), new LinkWindow(Duration.ofMillis(200), 250_000)),
                counted);
        OneMachine.Running running = new OneMachine(sites.data(), new OneMachine.DemoSettings(new LinkSettings(Duration.ofMillis(100), Duration.ZERO, 0),
                null, Duration.ofHours(1), Duration.ofHours(1), Duration.ofSeconds(30), Journeys.TERRAFORM, loop.registries()).over(link),
                new SimpleMeterRegistry(), OperatorEvents.printingTo(System.out, Clock.systemUTC()), Clock.systemUTC()).install(sites.camel());

        converges(running, 1);
        assertThat(counted.totals().get(LinkDirection.TO_OUTPOST.tag())).as("what crossed toward the outpost, counted at the outpost")
                .containsKeys("GitBundle", "ImageContent");
        assertThat(counted.totals().get(LinkDirection.TO_UPSTREAM.tag())).containsKey("GitSync");

        sites.restartUpstream();
        running.origin().publishNext();
        converges(running, 2);
    }

    @Test
    void nothingCrossesWhileTheSendWindowIsClosedAndTheUpdateConvergesOnceItOpens() throws Exception {
        DataDirectory data = new DataDirectory(sites.data());
        UpstreamTrust trust = new UpstreamTrust(data.outpost().upstreamLink());
        String address = "127.0.0.1:" + sites.upstream().tcpPort();
        trust.join(UpstreamJoinLine.of(data.upstream(), address), Duration.ofSeconds(10));
        Instant opens = Instant.now().plusSeconds(8);
        OutageSchedule closedUntilThen = OutageSchedule.parse("down " + Instant.now().minusSeconds(1) + "+9s", Quantities::duration);
        LinkAccounting counted = new LinkAccounting(new SimpleMeterRegistry(), data.linkStats());
        NetworkLink link = new NetworkLink(trust.access(address, new LinkWindow(Duration.ofMillis(200), 250_000)), counted,
                LinkGovernor.of(Map.of(), closedUntilThen), Clock.systemUTC());
        OneMachine.Running running = new OneMachine(sites.data(), new OneMachine.DemoSettings(new LinkSettings(Duration.ofMillis(100), Duration.ZERO, 0),
                null, Duration.ofHours(1), Duration.ofHours(1), Duration.ofSeconds(30), Journeys.TERRAFORM, loop.registries()).over(link),
                new SimpleMeterRegistry(), OperatorEvents.printingTo(System.out, Clock.systemUTC()), Clock.systemUTC()).install(sites.camel());

        RunRecord run = running.runner().run(StackRunner.SCHEDULED);

        assertThat(run.outcome()).as(run.error()).isEqualTo(RunOutcome.CONVERGED);
        assertThat(Instant.now()).as("converged only after the window opened").isAfter(opens);
        assertThat(counted.bytes(LinkDirection.TO_UPSTREAM)).as("the sync crossed").isPositive();
    }

    @Test
    void onceTheDailyBudgetIsSpentImagesWaitWhileConfigStillCrosses() throws Exception {
        DataDirectory data = new DataDirectory(sites.data());
        UpstreamTrust trust = new UpstreamTrust(data.outpost().upstreamLink());
        String address = "127.0.0.1:" + sites.upstream().tcpPort();
        trust.join(UpstreamJoinLine.of(data.upstream(), address), Duration.ofSeconds(10));
        LinkAccounting counted = new LinkAccounting(new SimpleMeterRegistry(), data.linkStats());
        LinkGovernor spent = LinkGovernor.of(Map.of(), OutageSchedule.alwaysUp(), 1, data.linkBudgetSpent());
        spent.sent(LinkDirection.TO_UPSTREAM, 1, Instant.now());
        NetworkLink link = new NetworkLink(trust.access(address, new LinkWindow(Duration.ofMillis(200), 250_000)), counted, spent, Clock.systemUTC());
        OneMachine.Running running = new OneMachine(sites.data(), new OneMachine.DemoSettings(new LinkSettings(Duration.ofMillis(100), Duration.ZERO, 0),
                null, Duration.ofHours(1), Duration.ofHours(1), Duration.ofSeconds(8), Journeys.TERRAFORM, loop.registries()).over(link),
                new SimpleMeterRegistry(), OperatorEvents.printingTo(System.out, Clock.systemUTC()), Clock.systemUTC()).install(sites.camel());

        RunRecord run = running.runner().run(StackRunner.SCHEDULED);

        assertThat(run.outcome()).as("the release waits for its images").isEqualTo(RunOutcome.PENDING);
        Map<String, ?> crossed = counted.totals().get(LinkDirection.TO_OUTPOST.tag());
        assertThat(crossed).as("config and control crossed").containsKeys("GitBundle", "ProviderPackage");
        assertThat(crossed).as("no image content").doesNotContainKeys("ImageBlob", "ImageContent", "Chunk");
    }

    @Test
    void aJoinLineFromAnotherUpstreamIsRefusedAndNothingIsKept() throws Exception {
        DataDirectory data = new DataDirectory(sites.data());
        SiteData impostor = new SiteData(Files.createDirectories(sites.data().resolve("impostor")));
        Files.createDirectories(impostor.brokerUsers());
        Files.writeString(impostor.brokerPassword(BrokerRole.LINK.user()), "not-the-link-password-0123");
        JoinLine foreign = UpstreamJoinLine.of(impostor, "127.0.0.1:" + sites.upstream().tcpPort());

        assertThatThrownBy(() -> new UpstreamTrust(data.outpost().upstreamLink()).join(foreign, Duration.ofSeconds(10)))
                .hasMessageContaining("presented no CA with fingerprint");
        assertThat(new UpstreamTrust(data.outpost().upstreamLink()).address()).isEmpty();
        assertThatThrownBy(() -> JoinLine.parse("outpost-join/1 somewhere sha256:abc")).hasMessageContaining("not a join line");
    }


    private static void converges(OneMachine.Running running, int release) {
        RunRecord run = running.runner().run(StackRunner.SCHEDULED);
        assertThat(run.outcome()).as("release " + release + ": " + run.error()).isEqualTo(RunOutcome.CONVERGED);
        assertThat(run.outputs()).containsEntry("release", String.valueOf(release));
    }
}
