package io.outpost.gateway.outpost.push;

import io.outpost.content.Names;
import io.outpost.content.RefPatterns;
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
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Push mode at the outpost: subscribes to its repos at start, and after each update it applied sends the
 * subscription again with its new tips and holdings, which upstream takes as the acknowledgement. Upstream
 * answers each (an update, or that there is none); one that heard nothing back within {@link #PATIENCE} times
 * {@code --resend-after} was lost on the way, and is sent again (an update still crossing a slow link when that
 * time is up is not sent twice: what is on its way joins, only its bundle comes again). The
 * repos are those configured (their default branch) plus those an operator added ({@code outpost subscribe}),
 * which are kept in {@code subscriptions.txt}, a line each, {@code REPO [REF ...]} ({@link RefPatterns}), so that
 * they survive a restart.
 */
public final class OutpostSubscriptions {
    private static final List<String> DEFAULT = List.of(RefPatterns.DEFAULT_BRANCH);
    /** How many times {@code --resend-after} a subscription waits for upstream's answer: a first push may take a while. */
    static final int PATIENCE = 2;

    /** The refs followed, by repo. */
    private final Map<String, List<String>> repos;
    private final Path added;
    private final LocalRemotes remotes;
    private final LocalContent local;
    private final OutpostRequests requests;
    /** Repos whose last subscription upstream has not answered yet, with when it was sent. */
    private final Map<String, Instant> unanswered = new HashMap<>();

    public OutpostSubscriptions(List<String> configured, Path added, LocalRemotes remotes, LocalContent local, OutpostRequests requests) {
        this.repos = new LinkedHashMap<>();
        configured.forEach(repo -> repos.put(Names.requireRepo(repo), DEFAULT));
        this.added = added;
        this.remotes = remotes;
        this.local = local;
        this.requests = requests;
        repos.putAll(read(added));
    }

    synchronized void subscribeAll() {
        repos.keySet().forEach(this::subscribe);
    }

    /** Sends again each subscription upstream has not answered for {@link #PATIENCE} times {@code resendAfter}: it, or its answer, was lost. */
    synchronized void resendUnanswered(Duration resendAfter) {
        Instant due = requests.clock().instant().minus(resendAfter.multipliedBy(PATIENCE));
        List.copyOf(unanswered.entrySet()).stream().filter(sent -> sent.getValue().isBefore(due)).map(Map.Entry::getKey).forEach(this::subscribe);
    }

    /** An operator subscribes to {@code refs} of {@code repo}: kept, and sent upstream at once. */
    public synchronized void add(String repo, List<String> refs) {
        Names.requireRepo(repo);
        refs.forEach(RefPatterns::require);
        if (!refs.equals(repos.put(repo, List.copyOf(refs)))) {
            Map<String, List<String>> kept = new LinkedHashMap<>(read(added));
            kept.put(repo, refs);
            StringBuilder text = new StringBuilder();
            kept.forEach((name, followed) -> text.append(name).append(followed.equals(DEFAULT) ? "" : " " + String.join(" ", followed)).append('\n'));
            DurableFiles.writeAtomically(added, text.toString().getBytes(StandardCharsets.UTF_8));
        }
        subscribe(repo);
        requests.ready().publish(new Ready(Ready.subscriptionOf(repo), Ready.Status.UPDATED, remotes.tips(repo, refs),
                "subscribed: upstream sends updates of " + String.join(", ", refs) + " of " + repo + " unasked"));
    }

    /** Upstream answered about {@code repo} (an update on its way, or none due): its subscription arrived. */
    public synchronized void heard(String repo) {
        unanswered.remove(repo);
    }

    /** An applied update of a subscribed repo is acknowledged with the outpost's state after it. */
    public synchronized void onReady(Ready event) {
        if (event.status() == Ready.Status.FAILED) {
            heard(event.subject()); // refused: asking again on a timer would not change it
        }
        if (event.status() == Ready.Status.UPDATED && repos.containsKey(event.subject())) {
            subscribe(event.subject());
        }
    }

    /** Upstream could not add up the holdings of a subscription to {@code repo}: sent again at once, with the holdings whole. */
    public synchronized void resend(String repo) {
        if (repos.containsKey(repo)) {
            subscribe(repo);
        }
    }

    private void subscribe(String repo) {
        List<String> refs = repos.get(repo);
        Map<String, String> haves = remotes.haves(repo, refs);
        LocalContent.HoldingsReport holdings = local.holdings();
        requests.send(MessageTypes.SUBSCRIBE, new GitSync(repo, refs, haves, holdings.holdings()), holdings.body());
        unanswered.put(repo, requests.clock().instant());
        requests.events().emit(new RequestSent(MessageTypes.SUBSCRIBE, repo, "(haves: " + haves.size() + " refs, " + holdings.described()
                + "): upstream sends its updates unasked"));
    }

    /**
     * The subscriptions kept in {@code file}, refs by repo; a line naming only a repo follows its default
     * branch. A line that is not {@code REPO [REF ...]} stops the gateway with the file, the line and the fix.
     */
    public static Map<String, List<String>> read(Path file) {
        List<String> lines;
        try {
            lines = Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        Map<String, List<String>> subscriptions = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            List<String> words = List.of(lines.get(i).strip().split("\\s+"));
            if (words.get(0).isEmpty()) {
                continue;
            }
            try {
                List<String> refs = words.size() == 1 ? DEFAULT : words.subList(1, words.size());
                refs.forEach(RefPatterns::require);
                subscriptions.put(Names.requireRepo(words.get(0)), List.copyOf(refs));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": " + e.getMessage() + "; each line is REPO [REF ...]: fix or delete"
                        + " the line, or 'outpost subscribe' the repo again", e);
            }
        }
        return subscriptions;
    }
}
