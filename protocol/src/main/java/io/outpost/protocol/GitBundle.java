package io.outpost.protocol;

import io.outpost.content.Names;
import java.util.List;
import java.util.Map;

/**
 * The answer to a {@link GitSync}: the body is a git bundle whose refs end at {@code tips}. What the new
 * commits require and upstream sent ahead of the bundle is named in {@code needImages}
 * (repository@digest or repository:tag), {@code needProviders} ({@link ProviderGet#subject()}s) and
 * {@code needModules} ({@link ModuleGet#subject()}s): the
 * outpost moves its refs only once they are local, so a worker that sees the commit finds everything.
 * {@code head} is the origin's default branch (empty when unknown), which the local remote's HEAD follows so
 * that a plain {@code git clone} of it checks out. {@code ledger} says how far upstream's ledger of the outpost's
 * {@link Holdings} stands (null when it keeps none for this conversation), so the next request carries only later changes.
 */
public record GitBundle(String repo, Map<String, String> tips, List<String> needImages, List<String> needProviders, List<String> needModules,
                        String head, Holdings.Seen ledger) {
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
        needImages = List.copyOf(needImages == null ? List.of() : needImages);
        needProviders = List.copyOf(needProviders == null ? List.of() : needProviders);
        needProviders.forEach(ProviderGet::ofSubject);
        needModules = List.copyOf(needModules == null ? List.of() : needModules);
        needModules.forEach(ModuleGet::ofSubject);
        head = requireHead(head);
    }

    public GitBundle(String repo, Map<String, String> tips) {
        this(repo, tips, List.of(), List.of(), List.of(), "", null);
    }

    /** A default branch as answers name it: a branch, or empty when unknown. */
    static String requireHead(String head) {
        if (head == null || head.isEmpty()) {
            return "";
        }
        if (!Names.requireRef(head).startsWith("refs/heads/")) {
            throw new IllegalArgumentException("illegal default branch '" + head + "': expected a branch under refs/heads/");
        }
        return head;
    }
}
