package io.outpost.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpost.link.LinkAccounting;
import io.outpost.link.LinkState;
import io.outpost.link.LinkTotal;
import io.outpost.protocol.EnvelopeCodec;
import io.outpost.transfer.OutgoingTransfers;
import io.outpost.transfer.TransferProgress;
import io.outpost.transfer.TransferReceiver;
import io.outpost.transfer.TransferSender;
import io.outpost.protocol.Json;
import io.outpost.site.Sizes;
import io.outpost.worker.RunHistory;
import io.outpost.worker.RunRecord;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What the data directory says: link totals, local and origin repo heads, the last runs of each stack. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show link totals and state, transfers in flight, repo heads and the last runs, read from the data directory (works with or without Outpost running).")
final class StatusCommand implements Callable<Integer> {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    @Mixin
    CommonOptions common;

    @Option(names = "--runs", defaultValue = "10", description = "How many recent runs to show per stack (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--json", description = "Print JSON for scripts.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        Path data = common.data.toAbsolutePath().normalize();
        if (!Files.isDirectory(data)) {
            throw new IllegalStateException("no data directory at " + data + ": run 'outpost demo' first, or pass --data");
        }
        Map<String, Map<String, LinkTotal>> link = LinkAccounting.read(data.resolve("link/stats.json"));
        Map<String, Map<String, String>> local = heads(data.resolve("outpost/git"));
        Map<String, Map<String, String>> origin = heads(data.resolve("upstream/origin/git"));
        Map<String, List<RunRecord>> stacks = new TreeMap<>();
        for (Path stack : list(data.resolve("outpost/worker"))) {
            if (Files.exists(stack.resolve("runs.jsonl"))) {
                stacks.put(stack.getFileName().toString(), new RunHistory(stack.resolve("runs.jsonl")).last(runs));
            }
        }
        Instant now = Instant.now();
        Optional<LinkState> linkState = LinkState.read(data.resolve("link"), now, Quantities::duration);
        List<TransferProgress> transfers = new ArrayList<>();
        Map<String, Integer> sending = new TreeMap<>();
        EnvelopeCodec codec = new EnvelopeCodec(OneMachine.CHUNK_SIZE);
        for (String site : List.of("outpost", "upstream")) {
            transfers.addAll(new TransferReceiver(data.resolve(site).resolve("transfers"), codec).inProgress());
            sending.put(site, new OutgoingTransfers(data.resolve(site).resolve("outgoing"), codec,
                    new TransferSender(OneMachine.CHUNK_SIZE)).pending());
        }
        if (json) {
            ObjectNode out = Json.MAPPER.createObjectNode();
            linkState.ifPresent(state -> out.set("linkState", Json.MAPPER.valueToTree(state)));
            out.set("transfers", Json.MAPPER.valueToTree(transfers));
            out.set("sending", Json.MAPPER.valueToTree(sending));
            out.set("link", Json.MAPPER.valueToTree(link));
            out.set("localRepos", Json.MAPPER.valueToTree(local));
            out.set("originRepos", Json.MAPPER.valueToTree(origin));
            ArrayNode runsNode = out.putArray("runs");
            stacks.values().forEach(list -> list.forEach(run -> runsNode.add(Json.MAPPER.valueToTree(run))));
            System.out.println(Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(out));
            return 0;
        }
        print(System.out, data, link, local, origin, stacks);
        printLink(System.out, linkState, transfers, now);
        sending.forEach((site, count) -> System.out.println("Transfers the " + site + " is sending, not yet reported complete: " + count));
        return 0;
    }

    private static void printLink(PrintStream out, Optional<LinkState> state, List<TransferProgress> transfers, Instant now) {
        out.println();
        state.ifPresentOrElse(link -> out.println("Link is " + (link.up() ? "UP" : "DOWN")
                        + link.changesAt().map(at -> (link.up() ? " until " : " until ") + TIME.format(at)
                        + " (in " + Sizes.duration(java.time.Duration.between(now, at)) + ")").orElse("") + "; " + link.settings()),
                () -> out.println("Link: no simulator has run on this data directory"));
        out.println(transfers.isEmpty() ? "No transfers in flight." : "Transfers in flight:");
        for (TransferProgress transfer : transfers) {
            int width = 30;
            int filled = (int) (width * transfer.receivedBytes() / Math.max(1, transfer.size()));
            out.printf("  %s %-12s [%s%s] %s of %s, %s, ETA %s, %d of %d chunks missing%n", transfer.transferId().substring(0, 8),
                    transfer.carriedType(), "#".repeat(filled), ".".repeat(width - filled), Sizes.bytes(transfer.receivedBytes()),
                    Sizes.bytes(transfer.size()), transfer.rate().map(rate -> Sizes.bytes(rate.longValue()) + "/s").orElse("rate unknown"),
                    transfer.eta().map(Sizes::duration).orElse("unknown"), transfer.missingChunks(), transfer.chunks());
        }
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
            Map<String, String> there = origin.getOrDefault(repo, Map.of());
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

    private static Map<String, Map<String, String>> heads(Path root) throws IOException {
        Map<String, Map<String, String>> heads = new TreeMap<>();
        for (Path dir : list(root)) {
            String name = dir.getFileName().toString();
            if (!name.endsWith(".git")) {
                continue;
            }
            try (Repository repo = new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build()) {
                Map<String, String> refs = new TreeMap<>();
                for (Ref ref : repo.getRefDatabase().getRefsByPrefix("refs/heads/")) {
                    refs.put(ref.getName(), ref.getObjectId().name());
                }
                heads.put(name.substring(0, name.length() - ".git".length()), refs);
            }
        }
        return heads;
    }

    private static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(Files::isDirectory).sorted().toList();
        }
    }
}
