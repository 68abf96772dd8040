package io.outpost.protocol;

import java.util.Map;

/** The answer to a {@link GitSync}: the body is a git bundle whose refs end at {@code tips}. */
public record GitBundle(String repo, Map<String, String> tips) {
    public GitBundle {
        Names.requireRepo(repo);
        tips = Map.copyOf(tips == null ? Map.of() : tips);
        if (tips.isEmpty()) {
            throw new IllegalArgumentException("a bundle must carry at least one ref");
        }
        tips.forEach((ref, commit) -> {
            Names.requireRef(ref);
            Names.requireCommit(commit);
        });
    }
}
