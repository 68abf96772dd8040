package io.outpost.gateway.outpost.push;

import io.outpost.content.Names;
import io.outpost.data.DurableFiles;
import io.outpost.gateway.outpost.LocalContent;
import io.outpost.gateway.outpost.OutpostRequests;
import io.outpost.gateway.outpost.RequestSent;
import io.outpost.gateway.outpost.git.LocalRemotes;
import io.outpost.protocol.GitSync;
import io.outpost.protocol.MessageTypes;
import io.outpost.protocol.Ready;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Push mode at the outpost: subscribes to its repos at start, and after each update it applied sends the
 * subscription again with its new tips and holdings, which upstream takes as the acknowledgement. The
 * repos are those configured plus those an operator added ({@code outpost subscribe}), which are kept in
 * {@code subscriptions.txt} so that they survive a restart.
 */
public final class OutpostSubscriptions {
    private static final List<String> REFS = List.of("refs/heads/main");

    private final Set<String> repos;
    private final Path added;
    private final LocalRemotes remotes;
    private final LocalContent local;
    private final OutpostRequests requests;

    public OutpostSubscriptions(List<String> configured, Path added, LocalRemotes remotes, LocalContent local, OutpostRequests requests) {
        this.repos = new LinkedHashSet<>(configured);
        this.added = added;
        this.remotes = remotes;
        this.local = local;
        this.requests = requests;
        repos.addAll(read(added));
    }

    synchronized void subscribeAll() {
        repos.forEach(this::subscribe);
    }

    /** An operator subscribes to {@code repo}: kept, and sent upstream at once. */
    public synchronized void add(String repo) {
        Names.requireRepo(repo);
        if (repos.add(repo)) {
            List<String> kept = new ArrayList<>(read(added));
            kept.add(repo);
            DurableFiles.writeAtomically(added, (String.join("\n", kept) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        subscribe(repo);
        requests.ready().publish(new Ready(Ready.subscriptionOf(repo), Ready.Status.UPDATED, remotes.tips(repo, REFS),
                "subscribed: upstream sends updates of " + repo + " unasked"));
    }

    /** An applied update of a subscribed repo is acknowledged with the outpost's state after it. */
    public synchronized void onReady(Ready event) {
        if (event.status() == Ready.Status.UPDATED && repos.contains(event.subject())) {
            subscribe(event.subject());
        }
    }

    private void subscribe(String repo) {
        GitSync state = new GitSync(repo, REFS, remotes.tips(repo, REFS), local.blobDigests(), local.providerPackages());
        requests.send(MessageTypes.SUBSCRIBE, state);
        requests.events().emit(new RequestSent(MessageTypes.SUBSCRIBE, repo, "(haves: " + state.haves().size() + " refs, " + state.haveBlobs().size()
                + " blobs, " + state.haveProviders().size() + " provider packages): upstream sends its updates unasked"));
    }

    public static List<String> read(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).stream().map(String::strip).filter(line -> !line.isEmpty()).toList() : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
