package io.outpost.gateway.upstream.fleet;

import io.micrometer.core.instrument.MeterRegistry;
import io.outpost.link.FleetInbox;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outposts a running upstream serves, kept to what the fleet says ({@link #sync}, every few seconds): an outpost added
 * is served from then on, one removed or suspended no longer (its frames are refused; its folder stays), one whose grants
 * changed is served again under them. The fleet's timers go through here to every served outpost, each on its own: one
 * that fails is logged and the others go on.
 */
public final class ServedFleet {
    private static final Logger LOG = LoggerFactory.getLogger(ServedFleet.class);

    /** Starts serving one outpost. */
    @FunctionalInterface
    public interface Serve {
        ServedOutpost serve(FleetMember member) throws Exception;
    }

    private final Supplier<List<FleetMember>> members;
    private final Serve serve;
    private final FleetInbox inbox;
    private final ExecutorService pushing;
    private final Map<String, ServedOutpost> served = new ConcurrentHashMap<>();

    /** @param pushing where the pushes of a poll go, several outposts at once */
    public ServedFleet(Supplier<List<FleetMember>> members, Serve serve, ExecutorService pushing, MeterRegistry meters) {
        this.pushing = pushing;
        this.members = members;
        this.serve = serve;
        this.inbox = new FleetInbox(meters, this::sync);
    }

    /** Where the fleet's frames go: each to the link of the outpost that signed it. */
    public FleetInbox inbox() {
        return inbox;
    }

    /** Serves what the fleet holds now. */
    public synchronized void sync() {
        Map<String, FleetMember> wanted = members.get().stream().filter(member -> !member.suspended())
                .collect(Collectors.toMap(FleetMember::outpost, Function.identity()));
        for (ServedOutpost outpost : List.copyOf(served.values())) {
            FleetMember now = wanted.get(outpost.member().outpost());
            if (!outpost.member().equals(now)) {
                stop(outpost, now == null ? "removed or suspended" : "its grants changed");
            }
        }
        for (FleetMember member : wanted.values()) {
            if (!served.containsKey(member.outpost())) {
                start(member);
            }
        }
    }

    private void start(FleetMember member) {
        try {
            ServedOutpost outpost = serve.serve(member);
            served.put(member.outpost(), outpost);
            inbox.serve(member.outpost(), outpost.inbox());
            LOG.info("serving outpost {} ({})", member.outpost(), member.describe());
        } catch (Exception e) {
            LOG.warn("cannot serve outpost {}: {}; tried again in a few seconds", member.outpost(), e.getMessage(), e);
        }
    }

    private void stop(ServedOutpost outpost, String why) {
        String name = outpost.member().outpost();
        inbox.stopServing(name);
        served.remove(name);
        outpost.link().close();
        LOG.info("no longer serving outpost {}: {}", name, why);
    }

    /** The outposts served now, by name. */
    public Set<String> outposts() {
        return new TreeSet<>(served.keySet());
    }

    public void checkpoint() {
        each(served.values(), outpost -> outpost.link().checkpoint(), "checkpoint the transfers of");
    }

    public void retryDeferred() {
        each(served.values(), outpost -> outpost.inbox().retryDeferred(), "apply what waits for");
    }

    /**
     * Every served outpost's pushes, as the origins were at {@code asOf} or later: one fetch per repo for the fleet, then
     * several outposts pushed to at once (each push sends what it lacks onto its own queue); returns once all are done.
     */
    public void poll(Instant asOf) {
        List<Future<?>> pushes = new ArrayList<>();
        for (ServedOutpost outpost : served.values()) {
            pushes.add(pushing.submit(() -> each(List.of(outpost), served -> served.push().poll(asOf), "push to")));
        }
        for (Future<?> push : pushes) {
            try {
                push.get();
            } catch (ExecutionException e) {
                LOG.warn("a push failed: {}", e.getCause().getMessage(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void each(Collection<ServedOutpost> outposts, Consumer<ServedOutpost> work, String what) {
        for (ServedOutpost outpost : outposts) {
            try {
                work.accept(outpost);
            } catch (RuntimeException e) {
                LOG.warn("cannot {} outpost {}: {}", what, outpost.member().outpost(), e.getMessage(), e);
            }
        }
    }
}
