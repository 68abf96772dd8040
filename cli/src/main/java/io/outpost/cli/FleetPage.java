package io.outpost.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.outpost.data.SiteData;
import io.outpost.gateway.upstream.fleet.FleetStatus;
import io.outpost.protocol.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The upstream's fleet at a glance, beside its {@code /metrics}: {@code GET /fleet.json} is {@link FleetStatus} of every
 * outpost with the frames its link refused since the gateway started, {@code GET /fleet} a page that shows it and reads
 * it again every 5 s.
 */
final class FleetPage {
    private static final String PAGE = """
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><title>Outpost fleet</title>
            <style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{padding:.3em .8em;border-bottom:1px solid #ddd;
            text-align:left}.behind{color:#b00}.suspended{color:#888}</style></head>
            <body><h1>Fleet</h1><p id="at"></p><table><thead><tr><th>outpost</th><th>served</th><th>last heard</th><th>subscriptions</th>
            <th>sending</th><th>kept for it</th><th>frames refused</th></tr></thead><tbody id="fleet"></tbody></table>
            <script>
            function ago(at) { if (!at) return 'never'; const s = Math.round((Date.now() - Date.parse(at)) / 1000); return s < 120 ? s + ' s ago' : Math.round(s / 60) + ' min ago'; }
            function cell(row, text, css) { const td = row.insertCell(); td.textContent = text; if (css) td.className = css; }
            async function show() {
              const fleet = await (await fetch('fleet.json')).json();
              const body = document.getElementById('fleet'); body.replaceChildren();
              for (const o of fleet) {
                const row = body.insertRow();
                cell(row, o.outpost); cell(row, o.served.toLowerCase(), o.served === 'SUSPENDED' ? 'suspended' : '');
                cell(row, ago(o.lastHeard));
                cell(row, o.subscriptions.map(r => r.repo + (r.upToDate ? ' up to date' : ' behind')).join(', ') || 'none', o.behind > 0 ? 'behind' : '');
                cell(row, o.sending); cell(row, o.bytesKept + ' B'); cell(row, o.refusedFrames, o.refusedFrames > 0 ? 'behind' : '');
              }
              document.getElementById('at').textContent = fleet.length + ' outposts, read ' + new Date().toLocaleTimeString();
            }
            show(); setInterval(show, 5000);
            </script></body></html>
            """;

    private FleetPage() {
    }

    /** @param meters the running upstream's, which count the frames each outpost's link refused */
    static void serveOn(MetricsEndpoint endpoint, SiteData upstream, MeterRegistry meters) {
        endpoint.serve("/fleet.json", exchange -> {
            ArrayNode fleet = json(FleetStatus.read(upstream));
            fleet.forEach(outpost -> ((ObjectNode) outpost).put("refusedFrames", meters.find("outpost.link.rejected").tag("site", "upstream")
                    .tag("outpost", outpost.get("outpost").asText()).counters().stream().mapToDouble(Counter::count).sum()));
            send(exchange, "application/json", fleet.toPrettyString());
        });
        endpoint.serve("/fleet", exchange -> send(exchange, "text/html; charset=utf-8", PAGE));
    }

    /** Each outpost as {@code status --json} and {@code /fleet.json} write it. */
    static ArrayNode json(List<FleetStatus.Outpost> fleet) {
        ArrayNode all = Json.MAPPER.createArrayNode();
        for (FleetStatus.Outpost outpost : fleet) {
            ObjectNode node = all.addObject();
            node.put("outpost", outpost.outpost());
            node.put("served", outpost.served().name());
            outpost.lastHeard().ifPresentOrElse(at -> node.put("lastHeard", at.toString()), () -> node.putNull("lastHeard"));
            ArrayNode repos = node.putArray("subscriptions");
            for (FleetStatus.Repo repo : outpost.subscriptions()) {
                ObjectNode each = (ObjectNode) Json.MAPPER.valueToTree(repo);
                each.put("upToDate", repo.upToDate());
                repos.add(each);
            }
            node.put("behind", outpost.behind());
            node.put("sending", outpost.sending());
            node.put("bytesKept", outpost.bytesKept());
        }
        return all;
    }

    private static void send(HttpExchange exchange, String type, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
