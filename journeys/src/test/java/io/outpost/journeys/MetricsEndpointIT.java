package io.outpost.journeys;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.outpost.broker.TwoSites;
import io.outpost.cli.MetricsEndpoint;
import io.outpost.cli.OneMachine;
import io.outpost.events.OperatorEvents;
import io.outpost.iacworker.RunOutcome;
import io.outpost.iacworker.StackRunner;
import io.outpost.registry.LocalRegistry;
import io.outpost.txrxsim.link.LinkSettings;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** GET /metrics shows what the link and the worker measured, under stable names. */
class MetricsEndpointIT {
    @RegisterExtension
    final SitesWithRegistries loop = new SitesWithRegistries();
    private final TwoSites sites = loop.sites;
    private final LocalRegistry origin = loop.origin;
    private final LocalRegistry outpost = loop.outpost;

    @Test
    void metricsShowLinkBytesRunsAndQueueDepthsAsMeasured() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        sites.outpost().measureQueues(registry);
        OneMachine.Running running = new OneMachine(sites.data(), new OneMachine.DemoSettings(
                new LinkSettings(Duration.ofMillis(200), Duration.ZERO, 0), null, Duration.ofHours(1), Duration.ofHours(1),
                Duration.ofSeconds(20), Journeys.TERRAFORM, loop.registries()), registry, OperatorEvents.none(), Clock.systemUTC()).install(sites.camel());
        assertThat(running.runner().run(StackRunner.SCHEDULED).outcome()).isEqualTo(RunOutcome.CONVERGED);

        try (MetricsEndpoint endpoint = MetricsEndpoint.start(registry, 0)) {
            String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(endpoint.url())).build(),
                    HttpResponse.BodyHandlers.ofString()).body();

            long bundleBytes = running.link().totals().get("to-outpost").get("GitBundle").bytes();
            assertThat(value(metrics, "outpost_link_bytes_total\\{direction=\"to-outpost\",type=\"GitBundle\"\\}")).isEqualTo(bundleBytes);
            assertThat(value(metrics, "outpost_link_messages_total\\{direction=\"to-upstream\",type=\"GitSync\"\\}")).isEqualTo(1);
            assertThat(value(metrics, "outpost_worker_runs_total\\{outcome=\"converged\",stack=\"demo\"\\}")).isEqualTo(1);
            assertThat(value(metrics, "outpost_queue_depth\\{queue=\"dead\",site=\"outpost\"\\}")).isZero();
            assertThat(value(metrics, "outpost_dead_letters\\{kind=\"malformed\",site=\"outpost\"\\}")).isZero();
            assertThat(value(metrics, "outpost_requests_total\\{kind=\"git\",namespace=\"_outpost\"\\}")).isEqualTo(1);
            assertThat(value(metrics, "outpost_apply_seconds_count\\{kind=\"provider\"\\}")).as("sent ahead of the bundle, not asked for").isEqualTo(1);
            assertThat(value(metrics, "outpost_request_age_seconds_count\\{kind=\"git\",namespace=\"_outpost\",outcome=\"answered\"\\}")).isEqualTo(1);
            assertThat(value(metrics, "outpost_apply_seconds_count\\{kind=\"image\"\\}")).isEqualTo(1);
            assertThat(value(metrics, "outpost_apply_seconds_count\\{kind=\"bundle\"\\}")).isEqualTo(1);
            assertThat(value(metrics, "outpost_link_up")).isEqualTo(1);

            // every metric the Grafana dashboard and the README name is one the loop serves
            String dashboard = Files.readString(Path.of("..", "dashboards", "grafana", "outpost-overview.json"));
            Matcher named = Pattern.compile("outpost_[a-z_]+").matcher(dashboard + Files.readString(Path.of("..", "README.md")));
            while (named.find()) {
                String name = named.group().replaceAll("_(sum|count|max)$", "");
                // outpost_data and outpost_registry are a path and a module; the others, message properties
                if (!List.of("outpost_data", "outpost_registry", "outpost_reject_reason", "outpost_dead_from", "outpost_dead_kind").contains(name)
                        && !Journeys.REAL_LINK_METRICS.contains(name)) {
                    assertThat(metrics).as("/metrics serves " + name).containsPattern("(?m)^" + name + "(_total|_sum|_count|_max)?[{ ]");
                }
            }
        }
    }

    private static long value(String metrics, String series) {
        Matcher matcher = Pattern.compile("(?m)^" + series + " ([0-9.E+]+)$").matcher(metrics);
        assertThat(matcher.find()).as(series + " in\n" + metrics).isTrue();
        return (long) Double.parseDouble(matcher.group(1));
    }
}
