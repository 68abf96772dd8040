package io.outpost.journeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
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
import io.outpost.link.network.LinkConnection;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
        String address = joined();
        LinkAccounting counted = new LinkAccounting(new SimpleMeterRegistry(), data.linkStats());
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        OneMachine.Running running = over(link(address, counted, LinkGovernor.unlimited(), meters), Duration.ofSeconds(30));

        converges(running, 1);
        assertThat(counted.totals().get(LinkDirection.TO_OUTPOST.tag())).as("what crossed toward the outpost, counted at the outpost")
                .containsKeys("GitBundle", "ImageContent");
        assertThat(counted.totals().get(LinkDirection.TO_UPSTREAM.tag())).containsKey("GitSync");

        Instant restartedAt = Instant.now();
        sites.restartUpstream();
        running.origin().publishNext();
        converges(running, 2);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            LinkConnection.State state = LinkConnection.read(data.linkConnection()).orElseThrow();
            assertThat(state.connected()).as("connected again").isTrue();
            assertThat(state.reconnects()).as("the restart was a reconnect").isPositive();
            assertThat(state.since()).as("connected since the restart").isAfter(restartedAt);
            assertThat(state.measuredRoundTrip()).as("round trip measured since").isPresent();
            assertThat(state.roundTripAt()).isAfter(restartedAt);
        });
        String metrics = meters.scrape();
        assertThat(metrics).contains("outpost_link_connected 1.0");
        assertThat(value(metrics, "outpost_link_reconnects_total")).isPositive();
        assertThat(value(metrics, "outpost_link_round_trip_seconds")).isPositive();
        assertThat(value(metrics, "outpost_link_state_changed_seconds")).isGreaterThanOrEqualTo(restartedAt.getEpochSecond());
        Journeys.REAL_LINK_METRICS.stream().filter(name -> !name.contains("budget"))
                .forEach(name -> assertThat(metrics).as("served: " + name).containsPattern("(?m)^" + name + "(_total)? "));
    }

    private static double value(String metrics, String series) {
        Matcher matcher = Pattern.compile("(?m)^" + series + " ([0-9.E+-]+)$").matcher(metrics);
        assertThat(matcher.find()).as(series + " in\n" + metrics).isTrue();
        return Double.parseDouble(matcher.group(1));
    }

    /** Joins the upstream with the line it prints, as an operator would; returns the address joined. */
    private String joined() {
        DataDirectory data = new DataDirectory(sites.data());
        String address = "127.0.0.1:" + sites.upstream().tcpPort();
        new UpstreamTrust(data.outpost().upstreamLink()).join(UpstreamJoinLine.of(data.upstream(), address), Duration.ofSeconds(10));
        return address;
    }

    /** The loop's roles on both sites, the link between them {@code link}; a run waits {@code syncWait} for its answers. */
    private OneMachine.Running over(NetworkLink link, Duration syncWait) throws Exception {
        return new OneMachine(sites.data(), new OneMachine.DemoSettings(new LinkSettings(Duration.ofMillis(100), Duration.ZERO, 0),
                null, Duration.ofHours(1), Duration.ofHours(1), syncWait, Journeys.TERRAFORM, loop.registries()).over(link),
                new SimpleMeterRegistry(), OperatorEvents.printingTo(System.out, Clock.systemUTC()), Clock.systemUTC()).install(sites.camel());
    }

    /** The network link to the upstream at {@code address}, keeping its connection state where status reads it. */
    private NetworkLink link(String address, LinkAccounting counted, LinkGovernor governor, MeterRegistry meters) {
        DataDirectory data = new DataDirectory(sites.data());
        return new NetworkLink(OneMachine.OUTPOST_NAME, new UpstreamTrust(data.outpost().upstreamLink()).access(address, new LinkWindow(Duration.ofMillis(200), 250_000)), counted,
                governor, new LinkConnection(address, meters, data.linkConnection(), governor, Clock.systemUTC()), Clock.systemUTC());
    }

    @Test
    void nothingCrossesWhileTheSendWindowIsClosedAndTheUpdateConvergesOnceItOpens() throws Exception {
        DataDirectory data = new DataDirectory(sites.data());
        String address = joined();
        Instant opens = Instant.now().plusSeconds(8);
        OutageSchedule closedUntilThen = OutageSchedule.parse("down " + Instant.now().minusSeconds(1) + "+9s", Quantities::duration);
        LinkAccounting counted = new LinkAccounting(new SimpleMeterRegistry(), data.linkStats());
        OneMachine.Running running = over(link(address, counted, LinkGovernor.of(Map.of(), closedUntilThen), new SimpleMeterRegistry()),
                Duration.ofSeconds(30));

        RunRecord run = running.runner().run(StackRunner.SCHEDULED);

        assertThat(run.outcome()).as(run.error()).isEqualTo(RunOutcome.CONVERGED);
        assertThat(Instant.now()).as("converged only after the window opened").isAfter(opens);
        assertThat(counted.bytes(LinkDirection.TO_UPSTREAM)).as("the sync crossed").isPositive();
    }

    @Test
    void onceTheDailyBudgetIsSpentImagesWaitWhileConfigStillCrosses() throws Exception {
        DataDirectory data = new DataDirectory(sites.data());
        String address = joined();
        LinkAccounting counted = new LinkAccounting(new SimpleMeterRegistry(), data.linkStats());
        LinkGovernor spent = LinkGovernor.of(Map.of(), OutageSchedule.alwaysUp(), 1, data.linkBudgetSpent());
        spent.sent(LinkDirection.TO_UPSTREAM, 1, Instant.now());
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        OneMachine.Running running = over(link(address, counted, spent, meters), Duration.ofSeconds(8));

        RunRecord run = running.runner().run(StackRunner.SCHEDULED);

        assertThat(run.outcome()).as("the release waits for its images").isEqualTo(RunOutcome.PENDING);
        Map<String, ?> crossed = counted.totals().get(LinkDirection.TO_OUTPOST.tag());
        assertThat(crossed).as("config and control crossed").containsKeys("GitBundle", "ProviderPackage");
        assertThat(crossed).as("no image content").doesNotContainKeys("ImageBlob", "ImageContent", "Chunk");
        assertThat(value(meters.scrape(), "outpost_link_budget_left_bytes")).as("the day's budget is spent").isZero();
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
