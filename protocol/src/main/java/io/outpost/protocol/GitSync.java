package io.outpost.protocol;

import io.outpost.content.Names;
import io.outpost.content.RefPatterns;
import java.util.List;
import java.util.Map;

/**
 * Outpost asks for {@code refs} of {@code repo} ({@link RefPatterns}: the default branch when none are
 * named, exact branches and tags, globs); {@code haves} are the outpost's current tips (ref to commit), so the
 * answer holds only the commits it lacks. {@code haveBlobs} (image blob digests its
 * registry holds) and {@code haveProviders} ({@link ProviderPackage#key() provider packages} its mirror
 * holds) and {@code haveModules} ({@link ModulePackage#key() modules} its module mirror holds) let upstream
 * answer with everything a new commit needs, less what the outpost has, in the same round trip. The outpost
 * sends them as {@code holdings}, what changed since upstream's ledger last saw them ({@link Holdings}), and
 * leaves the lists empty; upstream fills them from its ledger ({@link #withHeld}) before answering.
 */
public record GitSync(String repo, List<String> refs, Map<String, String> haves, List<String> haveBlobs, List<String> haveProviders,
                      List<String> haveModules, Holdings holdings) {
    public GitSync {
        Names.requireRepo(repo);
        refs = List.copyOf(refs == null || refs.isEmpty() ? List.of(RefPatterns.DEFAULT_BRANCH) : refs);
        refs.forEach(RefPatterns::require);
        haves = Map.copyOf(haves == null ? Map.of() : haves);
        haves.forEach((ref, commit) -> {
            Names.requireRef(ref);
            Names.requireCommit(commit);
        });
        haveBlobs = List.copyOf(haveBlobs == null ? List.of() : haveBlobs);
        haveBlobs.forEach(Names::requireDigest);
        haveProviders = List.copyOf(haveProviders == null ? List.of() : haveProviders);
        haveProviders.forEach(ProviderPackage::requireKey);
        haveModules = List.copyOf(haveModules == null ? List.of() : haveModules);
    }

    public GitSync(String repo, List<String> refs, Map<String, String> haves, List<String> haveBlobs, List<String> haveProviders,
                   List<String> haveModules) {
        this(repo, refs, haves, haveBlobs, haveProviders, haveModules, null);
    }

    public GitSync(String repo, List<String> refs, Map<String, String> haves, List<String> haveBlobs, List<String> haveProviders) {
        this(repo, refs, haves, haveBlobs, haveProviders, List.of());
    }

    /** A sync whose holdings go as changes to upstream's ledger. */
    public GitSync(String repo, List<String> refs, Map<String, String> haves, Holdings holdings) {
        this(repo, refs, haves, List.of(), List.of(), List.of(), holdings);
    }

    /** This sync with the outpost's holdings as lists, as upstream's ledger resolved them. */
    public GitSync withHeld(Holdings.Held held) {
        return new GitSync(repo, refs, haves, held.blobs(), held.providers(), held.modules(), null);
    }

    /** A sync that says nothing of what the outpost's registry and mirror hold. */
    public GitSync(String repo, List<String> refs, Map<String, String> haves) {
        this(repo, refs, haves, List.of(), List.of(), List.of());
    }
}
