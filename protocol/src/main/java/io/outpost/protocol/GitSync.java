package io.outpost.protocol;

import java.util.List;
import java.util.Map;

/**
 * Outpost asks for {@code refs} of {@code repo}; {@code haves} are the outpost's current tips (ref to
 * commit), so the answer holds only the commits it lacks.
 */
public record GitSync(String repo, List<String> refs, Map<String, String> haves) {
    public GitSync {
        Names.requireRepo(repo);
        refs = List.copyOf(refs == null || refs.isEmpty() ? List.of("refs/heads/main") : refs);
        refs.forEach(Names::requireRef);
        haves = Map.copyOf(haves == null ? Map.of() : haves);
        haves.forEach((ref, commit) -> {
            Names.requireRef(ref);
            Names.requireCommit(commit);
        });
    }
}
