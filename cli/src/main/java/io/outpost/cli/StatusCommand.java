package io.outpost.cli;

import io.outpost.events.Sizes;
import io.outpost.gateway.upstream.fleet.FleetStatus;
import io.outpost.iacworker.RunRecord;
import io.outpost.link.LinkTotal;
import io.outpost.link.network.LinkConnection;
import io.outpost.protocol.transfer.TransferProgress;
import io.outpost.txrxsim.link.LinkState;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What the data directory says: link totals, local and origin repo heads, the last runs of each stack. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show link totals and state, transfers in flight, repo heads and the last runs, read from the data directory (works with or without Outpost running).")
final class StatusCommand implements Callable<Integer> {
    /** Older than this, the real link's state is not current: its gateway writes it every 5 s. */
    private static final Duration STALE = Duration.ofSeconds(30);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    @Mixin
    CommonOptions common;

    @Option(names = "--runs", defaultValue = "10", description = "How many recent runs to show per stack (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    @Override
    public Integer call() {
        Path data = common.data.toAbsolutePath().normalize();
        if (!Files.isDirectory(data)) {
            throw new IllegalStateException("no data directory at " + data + ": run 'outpost demo' first, or pass --data");
        }
        SiteStatus status = SiteStatus.read(data, runs);
        if (json) {
            System.out.println(status.toJson().toPrettyString());
            return 0;
        }
        print(System.out, data, status.link(), status.localRepos(), status.originRepos(), status.runs());
        printLink(System.out, status.linkState(), status.linkConnection(), status.transfers(), status.at());
        status.sending().forEach((site, count) -> System.out.println("Transfers the " + site + " is sending, not yet reported complete: " + count));
        printFleet(System.out, status.fleet(), status.at());
        return 0;
    }

    /** "polar-1  served  heard 4s ago  demo-config up to date  sending 0 (0 B kept)", one line per outpost of the upstream's fleet. */
    private static void printFleet(PrintStream out, List<FleetStatus.Outpost> fleet, Instant now) {
        if (fleet.isEmpty()) {
            return;
        }
        out.println();
        out.println("Fleet (the outposts this upstream serves; 'unlisted': the one its --outpost names, or one removed):");
        for (FleetStatus.Outpost outpost : fleet) {
            String repos = outpost.subscriptions().isEmpty() ? "no subscriptions" : String.join(", ", outpost.subscriptions().stream()
                    .map(repo -> (repo.tenant().isEmpty() ? "" : repo.tenant() + "/") + repo.repo() + (repo.upToDate() ? " up to date"
                            : " behind (holds " + shortId(repo.held().values().stream().findFirst().orElse(null)) + ", latest "
                            + shortId(repo.latest().values().stream().findFirst().orElse(null)) + ")")).toList());
            out.printf("  %-16s %-9s heard %-12s %s; sending %d (%s kept)%n", outpost.outpost(), outpost.served().name().toLowerCase(java.util.Locale.ROOT),
                    outpost.lastHeard().map(at -> Sizes.duration(Duration.between(at, now)) + " ago").orElse("never"), repos, outpost.sending(),
                    Sizes.bytes(outpost.bytesKept()));
        }
    }

    private static void printLink(PrintStream out, Optional<LinkState> state, Optional<LinkConnection.State> connection, List<TransferProgress> transfers,
                                  Instant now) {
        out.println();
        state.ifPresent(link -> out.println("Link is " + (link.up() ? "UP" : "DOWN")
                + link.changesAt().map(at -> (link.up() ? " until " : " until ") + TIME.format(at)
                + " (in " + Sizes.duration(Duration.between(now, at)) + ")").orElse("") + "; " + link.settings()));
        connection.ifPresent(link -> out.println(realLink(link, now)));
        if (state.isEmpty() && connection.isEmpty()) {
            out.println("Link: neither the simulator nor a real link has run on this data directory");
        }
        out.println(transfers.isEmpty() ? "No transfers in flight." : "Transfers in flight:");
        for (TransferProgress transfer : transfers) {
            int width = 30;
            int filled = (int) (width * transfer.receivedBytes() / Math.max(1, transfer.size()));
            String pace = transfer.waiting() != null ? "waiting: " + transfer.waiting() + " (its sender holds it until there is room)"
                    : transfer.rate().map(rate -> Sizes.bytes(rate.longValue()) + "/s").orElse("rate unknown") + ", ETA "
                    + transfer.eta().map(Sizes::duration).orElse("unknown");
            out.printf("  %s %-12s [%s%s] %s of %s, %s, %d of %d chunks missing%n", transfer.transferId().substring(0, 8),
                    transfer.carriedType(), "#".repeat(filled), ".".repeat(width - filled), Sizes.bytes(transfer.receivedBytes()),
                    Sizes.bytes(transfer.size()), pace, transfer.missingChunks(), transfer.chunks());
        }
    }

    /** "Real link to HOST:PORT: CONNECTED since ..., N reconnects, round trip ..., send window open, budget left ...". */
    private static String realLink(LinkConnection.State link, Instant now) {
        StringBuilder line = new StringBuilder("Real link to " + link.upstream() + ": " + (link.connected() ? "CONNECTED" : "NOT CONNECTED") + " since "
                + TIME.format(link.since()) + " (" + Sizes.duration(Duration.between(link.since(), link.at())) + "), " + link.reconnects() + " reconnects, round trip "
                + link.measuredRoundTrip().map(rtt -> rtt.toMillis() + " ms (measured " + TIME.format(link.roundTripAt()) + ")").orElse("not measured yet")
                + ", send window " + (link.windowOpen() ? "open" : "closed"));
        if (link.budgetLeft() >= 0) {
            line.append(", daily budget left ").append(Sizes.bytes(link.budgetLeft()));
        }
        Duration age = Duration.between(link.at(), now);
        if (age.compareTo(STALE) > 0) {
            line.append(System.lineSeparator()).append("  (as the outpost gateway saw it ").append(Sizes.duration(age))
                    .append(" ago: it writes this every few seconds while it runs; is it running?)");
        }
        return line.toString();
    }

    private static void print(PrintStream out, Path data, Map<String, Map<String, LinkTotal>> link, Map<String, Map<String, String>> local,
                              Map<String, Map<String, String>> origin, Map<String, List<RunRecord>> stacks) {
        out.println("Outpost status of " + data);
        out.println();
        out.println("Link (bytes that crossed it, all time):");
        if (link.isEmpty()) {
            out.println("  nothing has crossed yet");
        }
        link.forEach((direction, byType) -> byType.forEach((type, total) ->
                out.printf("  %-16s %-16s %6d msgs %12s%n", direction, type, total.messages(), Sizes.bytes(total.bytes()))));
        out.println();
        out.println("Repos (outpost local remote vs demo origin):");
        Set<String> repos = new TreeSet<>(origin.keySet());
        repos.addAll(local.keySet());
        for (String repo : repos) {
            Map<String, String> here = local.getOrDefault(repo, Map.of());
            // a tenant's copy, TENANT/REPO, is of the origin's REPO
            Map<String, String> there = origin.getOrDefault(repo.substring(repo.indexOf('/') + 1), Map.of());
            Set<String> refs = new TreeSet<>(here.keySet());
            refs.addAll(there.keySet());
            refs.forEach(ref -> out.printf("  %-20s %-24s outpost %s  origin %s%n", repo, ref, shortId(here.get(ref)), shortId(there.get(ref))));
        }
        out.println();
        stacks.forEach((stack, list) -> {
            out.println("Last runs of stack " + stack + ":");
            for (RunRecord run : list) {
                out.printf("  #%-4d %s  %-9s %-9s commit %s  plan %-10s %s%n", run.number(), TIME.format(run.startedAt()), run.trigger(),
                        run.outcome(), shortId(run.commit()), run.plan() == null ? "-" : run.plan(),
                        run.error() != null ? run.error() : run.outputs().isEmpty() ? "" : "outputs " + run.outputs());
            }
        });
    }

    private static String shortId(String commit) {
        return commit == null ? "-------" : commit.substring(0, 7);
    }
}
