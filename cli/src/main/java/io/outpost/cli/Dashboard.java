package io.outpost.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.outpost.protocol.Json;
import io.outpost.txrxsim.origin.Release;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's live view, beside {@code /metrics}: {@code /} is a page (bundled, no CDN) that listens
 * on {@code /events}, a server-sent event stream of the outpost's state every second; {@code /status.json}
 * is one such state. Every figure comes from the data directory the roles keep ({@link SiteStatus}) or from
 * the meters behind {@code /metrics}.
 */
public final class Dashboard {
    private static final Logger LOG = LoggerFactory.getLogger(Dashboard.class);
    static final Duration EVERY = Duration.ofSeconds(1);

    private final Path data;
    private final MeterRegistry meters;
    private final Supplier<Optional<Release>> origin;

    /** @param origin the origin's current release, where this process knows it (the demo) */
    public Dashboard(Path data, MeterRegistry meters, Supplier<Optional<Release>> origin) {
        this.data = data;
        this.meters = meters;
        this.origin = origin;
    }

    public void serveOn(MetricsEndpoint endpoint) {
        endpoint.serve("/", this::page);
        endpoint.serve("/status.json", exchange -> send(exchange, 200, "application/json", Json.MAPPER.writeValueAsBytes(snapshot())));
        endpoint.serve("/events", this::events);
    }

    /** The state the page shows. */
    ObjectNode snapshot() {
        ObjectNode state = SiteStatus.read(data, 10).toJson();
        ArrayNode queues = state.putArray("queues");
        meters.find("outpost.queue.depth").gauges().forEach(gauge -> queues.addObject().put("site", gauge.getId().getTag("site"))
                .put("queue", gauge.getId().getTag("queue")).put("depth", (long) gauge.value()));
        if (!meters.find("outpost.dead.letters").gauges().isEmpty()) {
            ObjectNode dead = state.putObject("deadLetters");
            meters.find("outpost.dead.letters").gauges().forEach(gauge -> {
                String kind = gauge.getId().getTag("kind");
                dead.put(kind, dead.path(kind).asLong() + (long) gauge.value());
            });
        }
        ObjectNode counters = state.putObject("meters");
        meters.find("outpost.image.bytes.reused").counters().forEach(counter -> counters.put("imageBytesReused",
                counters.path("imageBytesReused").asDouble() + counter.count()));
        ObjectNode refused = counters.putObject("framesRefused");
        meters.find("outpost.link.rejected").counters().forEach(counter -> {
            String reason = counter.getId().getTag("reason");
            refused.put(reason, refused.path(reason).asDouble() + counter.count());
        });
        meters.find("outpost.link.up").gauges().stream().map(Gauge::value).findFirst().ifPresent(up -> counters.put("linkUp", up));
        counters.put("chunksRebuilt", meters.find("outpost.transfer.chunks.rebuilt").functionCounters().stream()
                .mapToDouble(io.micrometer.core.instrument.FunctionCounter::count).sum());
        ObjectNode loss = counters.putObject("lossMeasured");
        meters.find("outpost.link.loss.measured").gauges().forEach(gauge -> {
            String site = gauge.getId().getTag("site");
            Gauge chunks = meters.find("outpost.link.loss.measured.chunks").tag("site", site).gauge();
            loss.putObject(site).put("share", gauge.value()).put("chunks", chunks == null ? 0 : chunks.value());
        });
        origin.get().ifPresent(release -> state.putObject("origin").put("release", release.number()).put("commit", release.commit()));
        return state;
    }

    private void page(HttpExchange exchange) throws IOException {
        if (!exchange.getRequestURI().getPath().equals("/")) {
            send(exchange, 404, "text/plain", "not found\n".getBytes(StandardCharsets.UTF_8));
            return;
        }
        try (InputStream page = Dashboard.class.getResourceAsStream("dashboard/index.html")) {
            send(exchange, 200, "text/html; charset=utf-8", page.readAllBytes());
        }
    }

    /** Server-sent events: the state now, then every second, until the browser goes away. */
    private void events(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            while (!Thread.currentThread().isInterrupted()) {
                out.write(("data: " + Json.MAPPER.writeValueAsString(snapshot()) + "\n\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
                Thread.sleep(EVERY.toMillis());
            }
        } catch (IOException gone) {
            LOG.debug("dashboard viewer left: {}", gone.getMessage());
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
