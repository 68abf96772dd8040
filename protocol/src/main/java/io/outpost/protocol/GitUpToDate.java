package io.outpost.protocol;

import io.outpost.content.Names;
import java.util.Map;

/** The answer to a {@link GitSync} whose haves already are the upstream tips. */
public record GitUpToDate(String repo, Map<String, String> tips) {
    public GitUpToDate {
        Names.requireRepo(repo);
        tips = Map.copyOf(tips == null ? Map.of() : tips);
        tips.forEach((ref, commit) -> {
            Names.requireRef(ref);
            Names.requireCommit(commit);
        });
    }
}
