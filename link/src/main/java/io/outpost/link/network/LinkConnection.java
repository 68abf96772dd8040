package io.outpost.link.network;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.outpost.brokerclient.ConnectionWatch;
import io.outpost.data.DurableFiles;
import io.outpost.protocol.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The real link's connection as the outpost sees it: connected or not and since when, how often it came
 * back, the round trip last measured over it, and what the operator's {@link LinkGovernor} allows now.
 * Heard from Artemis (as the {@link ConnectionWatch} of the link's connection) and from the link's probe;
 * shown as gauges ({@code outpost.link.connected}, {@code .reconnects}, {@code .round.trip}, {@code .state.changed},
 * {@code .up}, {@code .budget.left}) and kept in {@code DATA/link/connection.json}, which {@code outpost status}
 * and the dashboard read.
 */
public final class LinkConnection implements ConnectionWatch {
    private static final Logger LOG = LoggerFactory.getLogger(LinkConnection.class);

    /**
     * One look at the connection, the format of {@code connection.json}.
     *
     * @param roundTrip the round trip last measured, null before the first
     * @param budgetLeft bytes the daily budget has left, -1 without a budget
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record State(String upstream, boolean connected, Instant since, long reconnects, Duration roundTrip, Instant roundTripAt,
                        boolean windowOpen, long budgetLeft, Instant at) {
        public Optional<Duration> measuredRoundTrip() {
            return Optional.ofNullable(roundTrip);
        }
    }

    private final String upstream;
    private final Path file;
    private final LinkGovernor governor;
    private final Clock clock;
    private boolean opened;
    private boolean connected;
    private Instant since;
    private long reconnects;
    private Duration roundTrip;
    private Instant roundTripAt;

    /**
     * @param upstream the address dialled, as the operator gave it
     * @param file where the state is kept for {@code outpost status}
     */
    public LinkConnection(String upstream, MeterRegistry registry, Path file, LinkGovernor governor, Clock clock) {
        this.upstream = upstream;
        this.file = file;
        this.governor = governor;
        this.clock = clock;
        this.since = clock.instant();
        Gauge.builder("outpost.link.connected", this, link -> link.state().connected() ? 1 : 0)
                .description("1 while the real link's connection to the upstream is up").register(registry);
        FunctionCounter.builder("outpost.link.reconnects", this, link -> link.state().reconnects())
                .description("times the real link's connection came back after it was lost").register(registry);
        Gauge.builder("outpost.link.round.trip", this, link -> link.state().measuredRoundTrip().map(rtt -> rtt.toNanos() / 1e9).orElse(Double.NaN))
                .baseUnit("seconds").description("the round trip last measured over the real link").register(registry);
        Gauge.builder("outpost.link.state.changed", this, link -> link.state().since().toEpochMilli() / 1000.0).baseUnit("seconds")
                .description("when the real link last connected or was lost (Unix time)").register(registry);
        Gauge.builder("outpost.link.up", this, link -> governor.windowOpen(clock.instant()) ? 1 : 0)
                .description("1 while the link's send window is open").register(registry);
        if (governor.budgetLeft(clock.instant()) >= 0) {
            Gauge.builder("outpost.link.budget.left", this, link -> governor.budgetLeft(clock.instant())).baseUnit("bytes")
                    .description("bytes the real link's daily budget has left today").register(registry);
        }
    }

    @Override
    public synchronized void opened() {
        if (opened) {
            reconnects++;
        }
        opened = true;
        change(true);
    }

    @Override
    public synchronized void lost() {
        change(false);
    }

    @Override
    public synchronized void back() {
        reconnects++;
        change(true);
    }

    /** The link's probe measured {@code roundTrip}. */
    public synchronized void measured(Duration measured) {
        roundTrip = measured;
        roundTripAt = clock.instant();
        record();
    }

    public synchronized State state() {
        Instant now = clock.instant();
        return new State(upstream, connected, since, reconnects, roundTrip, roundTripAt, governor.windowOpen(now), governor.budgetLeft(now), now);
    }

    /** Writes the state for {@code outpost status}; the probe calls it each time it looks, so budget and window stay current. */
    public synchronized void record() {
        try {
            DurableFiles.writeAtomically(file, Json.MAPPER.writeValueAsBytes(state()));
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot keep the real link's state in {} ({}); status will show an older one", file, e.getMessage());
        }
    }

    /** What {@code file} says; empty when no real link ever ran, or the file cannot be read (the reason is logged). */
    public static Optional<State> read(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.MAPPER.readValue(file.toFile(), State.class));
        } catch (IOException e) {
            LOG.warn("cannot read the real link's state {} ({}); it is written again within seconds while the outpost gateway runs", file, e.getMessage());
            return Optional.empty();
        }
    }

    private void change(boolean nowConnected) {
        if (nowConnected != connected) {
            LOG.info(nowConnected ? "link: connected to the upstream at {}" : "link: lost the upstream at {}; reconnecting", upstream);
        }
        connected = nowConnected;
        since = clock.instant();
        record();
    }
}
