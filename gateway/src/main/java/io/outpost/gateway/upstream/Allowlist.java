package io.outpost.gateway.upstream;

import io.outpost.content.Names;
import io.outpost.content.RefPatterns;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.transport.URIish;

/**
 * The repos this upstream serves, each with its origin, and the refs of each it lets out ({@link RefPatterns};
 * every branch and tag for a repo not named in {@code refs}); anything not named here is refused.
 */
public record Allowlist(Map<String, URIish> repos, Map<String, List<String>> refs) {
    public Allowlist {
        repos = Map.copyOf(repos);
        repos.keySet().forEach(Names::requireRepo);
        refs = Map.copyOf(refs);
        for (Map.Entry<String, List<String>> allowed : refs.entrySet()) {
            if (!repos.containsKey(allowed.getKey())) {
                throw new IllegalArgumentException("refs are allowed for repo '" + allowed.getKey() + "', which the allowlist does not serve (add --repo "
                        + allowed.getKey() + "=URL)");
            }
            allowed.getValue().forEach(RefPatterns::require);
        }
    }

    /** Every branch and tag of each repo. */
    public Allowlist(Map<String, URIish> repos) {
        this(repos, Map.of());
    }

    public Optional<URIish> originOf(String repo) {
        return Optional.ofNullable(repos.get(repo));
    }

    /** The refs of {@code repo} that may cross the link. */
    public List<String> refsOf(String repo) {
        return refs.getOrDefault(repo, RefPatterns.ALL);
    }
}
