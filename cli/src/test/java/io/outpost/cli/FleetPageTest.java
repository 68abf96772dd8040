package io.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.outpost.data.SiteData;
import io.outpost.gateway.upstream.fleet.Fleet;
import io.outpost.gateway.upstream.fleet.FleetMember;
import io.outpost.link.trust.SiteKeys;
import io.outpost.protocol.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The upstream's fleet page reads every outpost of the fleet from the data directory. */
class FleetPageTest {
    @TempDir
    Path dir;

    @Test
    void theFleetPageListsEachOutpostAndWhetherItIsServed() throws Exception {
        SiteData upstream = new SiteData(dir.resolve("upstream"));
        Fleet fleet = new Fleet(upstream);
        fleet.add(SiteKeys.loadOrCreate(dir.resolve("a"), "ship-1").publicKey(), FleetMember.EVERYTHING, Map.of());
        fleet.add(SiteKeys.loadOrCreate(dir.resolve("b"), "ship-2").publicKey(), FleetMember.EVERYTHING, Map.of());
        fleet.suspend("ship-2", true);
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        meters.counter("outpost.link.rejected", "site", "upstream", "outpost", "ship-1", "reason", "bad-signature").increment(2);
        try (MetricsEndpoint endpoint = MetricsEndpoint.start(meters, 0)) {
            FleetPage.serveOn(endpoint, upstream, meters);
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> json = http.send(HttpRequest.newBuilder(URI.create(endpoint.base() + "fleet.json")).build(), HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(endpoint.base() + "fleet")).build(), HttpResponse.BodyHandlers.ofString());

            JsonNode outposts = Json.MAPPER.readTree(json.body());
            assertThat(outposts).hasSize(2);
            assertThat(outposts.get(0).get("outpost").asText()).isEqualTo("ship-1");
            assertThat(outposts.get(0).get("served").asText()).isEqualTo("SERVED");
            assertThat(outposts.get(0).get("lastHeard").isNull()).as("never heard").isTrue();
            assertThat(outposts.get(0).get("refusedFrames").asDouble()).isEqualTo(2.0);
            assertThat(outposts.get(1).get("served").asText()).isEqualTo("SUSPENDED");
            assertThat(outposts.get(1).get("refusedFrames").asDouble()).isZero();
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
        }
    }
}
