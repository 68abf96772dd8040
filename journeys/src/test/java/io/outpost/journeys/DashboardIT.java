package io.outpost.journeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.outpost.broker.TwoSites;
import io.outpost.brokerclient.Addresses;
import io.outpost.cli.Dashboard;
import io.outpost.cli.MetricsEndpoint;
import io.outpost.cli.OneMachine;
import io.outpost.iacworker.RunOutcome;
import io.outpost.iacworker.StackRunner;
import io.outpost.txrxsim.link.LinkSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The operator's live view, loaded in headless Chromium against a running loop: its figures appear and move. */
class DashboardIT {
    @RegisterExtension
    final TwoSites sites = new TwoSites();

    @Test
    void theDashboardShowsLiveLinkAndReleaseFiguresThatChangeAsAReleaseArrives() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(HeadlessChromium.BINARY), "needs Debian's chromium (apt-get install chromium; .ci/run installs it)");
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        OneMachine.Running running = Journeys.start(sites, sites.camel(), null, new LinkSettings(Duration.ofMillis(200), Duration.ZERO, 0),
                Duration.ofSeconds(20), meters);
        sites.outpost().measureQueues(meters);
        try (MetricsEndpoint endpoint = MetricsEndpoint.start(meters, 0)) {
            new Dashboard(sites.data(), meters, () -> Optional.of(running.origin().current())).serveOn(endpoint);
            assertThat(running.runner().run(StackRunner.SCHEDULED).outcome()).isEqualTo(RunOutcome.CONVERGED);

            try (HeadlessChromium page = HeadlessChromium.open(endpoint.base(), sites.data().resolve("chromium"))) {
                await().atMost(Duration.ofSeconds(60)).until(() -> page.text("release-applied").equals("1"));
                List<String> before = page.texts("connection", "link-state", "link-to-outpost", "link-to-upstream", "release-origin");
                assertThat(before.get(0)).isEqualTo("live");
                assertThat(before.get(1)).isEqualTo("UP");
                assertThat(before.get(2)).matches("\\d+(\\.\\d)? (B|KiB|MiB)").isNotEqualTo("0 B");
                assertThat(before.get(4)).isEqualTo("1");
                assertThat(page.text("runs")).contains("CONVERGED");
                assertThat(page.text("dead-letters")).isEqualTo("0");
                assertThat(page.text("chunks-rebuilt")).as("a link that loses nothing").isEqualTo("0");
                assertThat(page.text("loss-measured")).containsPattern("0\\.0 % lost of what the upstream sent \\(of \\d+ chunks\\)");

                sites.camel().createProducerTemplate().sendBody("outpost:queue:" + Addresses.LINK_INBOUND, "not a frame".getBytes(StandardCharsets.UTF_8));
                await().atMost(Duration.ofSeconds(30)).until(() -> page.text("dead-letters").equals("1"));
                assertThat(page.text("dead-letters-why")).startsWith("1 unsigned");

                running.origin().publishNext();
                await().atMost(Duration.ofSeconds(30)).until(() -> page.text("release-origin").equals("2"));
                assertThat(running.runner().run(StackRunner.SCHEDULED).outcome()).isEqualTo(RunOutcome.CONVERGED);

                await().atMost(Duration.ofSeconds(30)).until(() -> page.text("release-applied").equals("2"));
                assertThat(page.text("link-to-outpost")).as("bytes to the outpost grew with the release").isNotEqualTo(before.get(2));
                assertThat(page.text("link-to-upstream")).isNotEqualTo(before.get(3));
            }
        }
    }
}
