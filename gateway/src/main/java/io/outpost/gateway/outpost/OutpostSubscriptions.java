package io.outpost.gateway.outpost;

import io.outpost.gateway.git.LocalRemotes;
import io.outpost.protocol.GitSync;
import io.outpost.protocol.MessageTypes;
import io.outpost.protocol.Ready;
import java.util.List;

/**
 * Push mode at the outpost: subscribes to its repos at start, and after each update it applied sends the
 * subscription again with its new tips and holdings, which upstream takes as the acknowledgement.
 */
final class OutpostSubscriptions {
    private static final List<String> REFS = List.of("refs/heads/main");

    private final List<String> repos;
    private final LocalRemotes remotes;
    private final LocalContent local;
    private final OutpostRequests requests;

    OutpostSubscriptions(List<String> repos, LocalRemotes remotes, LocalContent local, OutpostRequests requests) {
        this.repos = List.copyOf(repos);
        this.remotes = remotes;
        this.local = local;
        this.requests = requests;
    }

    void subscribeAll() {
        repos.forEach(this::subscribe);
    }

    /** An applied update of a subscribed repo is acknowledged with the outpost's state after it. */
    void onReady(Ready event) {
        if (event.status() == Ready.Status.UPDATED && repos.contains(event.subject())) {
            subscribe(event.subject());
        }
    }

    private void subscribe(String repo) {
        GitSync state = new GitSync(repo, REFS, remotes.tips(repo, REFS), local.blobDigests(), local.providerPackages());
        requests.send(MessageTypes.SUBSCRIBE, state);
        requests.events().emit("-> Subscribe " + repo + " (haves: " + state.haves().size() + " refs, " + state.haveBlobs().size() + " blobs, "
                + state.haveProviders().size() + " provider packages): upstream sends its updates unasked");
    }
}
