package io.outpost.cli;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import picocli.CommandLine.Option;

/** Where a role serves {@code GET /metrics} (and, for the outpost gateway, its dashboard). */
final class MetricsOption {
    @Option(names = "--http-port", description = "Port for GET /metrics (Prometheus format); 0 picks a free one, printed at start "
            + "(default: 0 for demo; 8080 outpost-gateway, 8081 upstream-gateway, 8082 worker, 8083 link-sim).")
    Integer httpPort;

    @Option(names = "--http-host", defaultValue = "127.0.0.1",
            description = "Address the HTTP endpoint listens on; 0.0.0.0 in a container scraped from outside (default: ${DEFAULT-VALUE}).")
    String httpHost;

    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    /** Starts serving; {@code defaultPort} when no --http-port was given. */
    MetricsEndpoint start(int defaultPort) {
        MetricsEndpoint endpoint = MetricsEndpoint.start(registry, httpHost, httpPort == null ? defaultPort : httpPort);
        System.out.println("metrics: " + endpoint.url());
        return endpoint;
    }
}
