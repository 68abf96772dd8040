package io.outpost.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpost.content.Tenants;
import io.outpost.data.DataDirectory;
import io.outpost.data.NamespaceData;
import io.outpost.data.SiteData;
import io.outpost.gateway.upstream.fleet.FleetStatus;
import io.outpost.iacworker.RunHistory;
import io.outpost.iacworker.RunRecord;
import io.outpost.link.LinkAccounting;
import io.outpost.link.LinkTotal;
import io.outpost.link.network.LinkConnection;
import io.outpost.protocol.EnvelopeCodec;
import io.outpost.protocol.Json;
import io.outpost.protocol.transfer.Chunk;
import io.outpost.protocol.transfer.OutgoingTransfers;
import io.outpost.protocol.transfer.TransferProgress;
import io.outpost.protocol.transfer.TransferReceiver;
import io.outpost.protocol.transfer.TransferSender;
import io.outpost.txrxsim.link.LinkState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * What a data directory says at one instant: the link's totals and state (the simulator's, or the real link's connection), transfers being received and
 * sent, the repo heads at the outpost (a tenant's named TENANT/REPO) and at the demo origin, each stack's last runs, and each outpost of the
 * upstream's fleet. Everything is
 * read from files the running roles keep, so it works with or without Outpost running.
 */
public record SiteStatus(Instant at, Optional<LinkState> linkState, Optional<LinkConnection.State> linkConnection, Map<String, Map<String, LinkTotal>> link, List<TransferProgress> transfers,
                         Map<String, Integer> sending, Map<String, Map<String, String>> localRepos, Map<String, Map<String, String>> originRepos,
                         Map<String, List<RunRecord>> runs, List<FleetStatus.Outpost> fleet) {

    public static SiteStatus read(Path data, int runsPerStack) {
        try {
            Instant now = Instant.now();
            DataDirectory layout = new DataDirectory(data);
            Map<String, List<RunRecord>> runs = new TreeMap<>();
            Map<String, Map<String, String>> localRepos = new TreeMap<>();
            for (Map.Entry<String, NamespaceData> namespace : namespaces(layout.outpost()).entrySet()) {
                for (Path stack : directories(namespace.getValue().worker())) {
                    Path history = namespace.getValue().runs(stack.getFileName().toString());
                    if (Files.exists(history)) {
                        runs.put(namespace.getKey() + stack.getFileName(), new RunHistory(history).last(runsPerStack));
                    }
                }
                heads(namespace.getValue().git()).forEach((repo, refs) -> localRepos.put(namespace.getKey() + repo, refs));
            }
            List<TransferProgress> transfers = new ArrayList<>();
            Map<String, Integer> sending = new TreeMap<>();
            EnvelopeCodec codec = new EnvelopeCodec(Chunk.SIZE);
            // the upstream keeps each outpost's transfers in that outpost's folder
            Map<String, List<SiteData>> links = Map.of(DataDirectory.OUTPOST, List.of(layout.outpost()), DataDirectory.UPSTREAM, layout.upstream().outposts());
            for (Map.Entry<String, List<SiteData>> site : links.entrySet()) {
                for (SiteData link : site.getValue()) {
                    transfers.addAll(new TransferReceiver(link.transfersIn(), codec).inProgress());
                    sending.merge(site.getKey(), new OutgoingTransfers(link.transfersOut(), codec, new TransferSender(Chunk.SIZE)).pending(), Integer::sum);
                }
                sending.putIfAbsent(site.getKey(), 0);
            }
            return new SiteStatus(now, LinkState.read(layout, now, Quantities::duration), LinkConnection.read(layout.linkConnection()),
                    LinkAccounting.read(layout.linkStats()), transfers, sending, localRepos, heads(layout.originGit()), runs,
                    FleetStatus.read(layout.upstream()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the status of " + data, e);
        }
    }

    public ObjectNode toJson() {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("at", at.toString());
        linkState.ifPresent(state -> out.set("linkState", Json.MAPPER.valueToTree(state)));
        linkConnection.ifPresent(state -> out.set("linkConnection", Json.MAPPER.valueToTree(state)));
        var transfersNode = out.putArray("transfers");
        for (TransferProgress transfer : transfers) {
            ObjectNode node = transfersNode.addObject();
            node.setAll((ObjectNode) Json.MAPPER.valueToTree(transfer));
            transfer.rate().ifPresent(rate -> node.put("rate", rate));
            transfer.eta().ifPresent(eta -> node.put("etaSeconds", eta.toMillis() / 1000.0));
        }
        out.set("sending", Json.MAPPER.valueToTree(sending));
        out.set("link", Json.MAPPER.valueToTree(link));
        out.set("localRepos", Json.MAPPER.valueToTree(localRepos));
        out.set("originRepos", Json.MAPPER.valueToTree(originRepos));
        out.set("runs", Json.MAPPER.valueToTree(runs.values().stream().flatMap(List::stream).toList()));
        out.set("fleet", FleetPage.json(fleet));
        return out;
    }

    /** The outpost's namespaces by how status names what is in them: "" for its own, "TENANT/" for a tenant's, and where each lives. */
    private static Map<String, NamespaceData> namespaces(SiteData outpostData) throws IOException {
        Map<String, NamespaceData> namespaces = new TreeMap<>(Map.of("", outpostData.namespace(Tenants.OUTPOST)));
        for (Path tenant : directories(outpostData.tenants())) {
            namespaces.put(tenant.getFileName() + "/", outpostData.namespace(tenant.getFileName().toString()));
        }
        return namespaces;
    }

    private static Map<String, Map<String, String>> heads(Path root) throws IOException {
        Map<String, Map<String, String>> heads = new TreeMap<>();
        for (Path dir : directories(root)) {
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

    private static List<Path> directories(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> children = Files.list(dir)) {
            return children.filter(Files::isDirectory).sorted().toList();
        }
    }
}
