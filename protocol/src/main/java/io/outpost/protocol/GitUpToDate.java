package io.outpost.protocol;

import io.outpost.content.Names;
import java.util.Map;

/**
 * The answer to a {@link GitSync} whose haves already are the upstream tips; {@code head} is the origin's
 * default branch (empty when unknown), which the local remote's HEAD follows; {@code ledger} as in {@link GitBundle}.
 */
public record GitUpToDate(String repo, Map<String, String> tips, String head, Holdings.Seen ledger) {
    public GitUpToDate {
        Names.requireRepo(repo);
        tips = Map.copyOf(tips == null ? Map.of() : tips);
        tips.forEach((ref, commit) -> {
            Names.requireRef(ref);
            Names.requireCommit(commit);
        });
        head = GitBundle.requireHead(head);
    }

    public GitUpToDate(String repo, Map<String, String> tips) {
        this(repo, tips, "", null);
    }
}
