package io.outpost.gateway.git;

import io.outpost.content.RefPatterns;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;

/**
 * The branches and tags {@link RefPatterns} name in a repo, with their tips: the one reading of patterns
 * against refs, for the upstream's mirrors and the outpost's local remotes alike.
 */
public final class NamedRefs {
    private NamedRefs() {
    }

    /**
     * Tips of the refs {@code patterns} name in {@code repository}; refs it does not have are left out.
     *
     * @param everyBranchForHead {@link RefPatterns#DEFAULT_BRANCH} names every branch rather than the one HEAD points at
     */
    public static Map<String, String> tips(Repository repository, List<String> patterns, boolean everyBranchForHead) throws IOException {
        Map<String, String> tips = new LinkedHashMap<>();
        for (String pattern : patterns) {
            List<String> named = new ArrayList<>();
            if (RefPatterns.DEFAULT_BRANCH.equals(pattern)) {
                Ref head = repository.exactRef(Constants.HEAD);
                if (everyBranchForHead) {
                    repository.getRefDatabase().getRefsByPrefix(Constants.R_HEADS).forEach(ref -> named.add(ref.getName()));
                } else if (head != null && head.isSymbolic()) {
                    named.add(head.getTarget().getName());
                }
            } else if (RefPatterns.isGlob(pattern)) {
                repository.getRefDatabase().getRefsByPrefix(pattern.substring(0, pattern.indexOf('*'))).stream()
                        .map(Ref::getName).filter(ref -> RefPatterns.matches(pattern, ref)).forEach(named::add);
            } else {
                named.add(pattern);
            }
            for (String ref : named) {
                Ref found = repository.exactRef(ref);
                if (found != null && found.getObjectId() != null) {
                    tips.put(ref, found.getObjectId().name());
                }
            }
        }
        return tips;
    }
}
