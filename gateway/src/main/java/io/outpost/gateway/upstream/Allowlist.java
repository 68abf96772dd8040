package io.outpost.gateway.upstream;

import io.outpost.content.Names;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.transport.URIish;

/** The repos this upstream serves, each with its origin; anything not named here is refused. */
public record Allowlist(Map<String, URIish> repos) {
    public Allowlist {
        repos = Map.copyOf(repos);
        repos.keySet().forEach(Names::requireRepo);
    }

    public Optional<URIish> originOf(String repo) {
        return Optional.ofNullable(repos.get(repo));
    }
}
