package io.outpost.content;

import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which refs of a repo a sync, a subscription or an allowlist names: {@link #DEFAULT_BRANCH} (the origin's
 * default branch, whatever it is called), an exact branch or tag ({@code refs/tags/v1.2.0}), or a glob where
 * {@code *} matches any characters, {@code /} included ({@code refs/tags/v*}, {@code refs/heads/release/*}).
 */
public final class RefPatterns {
    /** The origin's default branch: what its HEAD points at. */
    public static final String DEFAULT_BRANCH = "HEAD";
    /** Every branch and tag: what an allowlist allows unless told otherwise. */
    public static final List<String> ALL = List.of("refs/heads/*", "refs/tags/*");

    private RefPatterns() {
    }

    public static String require(String pattern) {
        if (DEFAULT_BRANCH.equals(pattern)) {
            return pattern;
        }
        try {
            Names.requireRef(pattern == null ? null : pattern.replace("*", "x"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("illegal ref '" + pattern + "': name HEAD (the default branch), a branch or tag under refs/heads/ or"
                    + " refs/tags/, or a glob such as refs/tags/v*");
        }
        return pattern;
    }

    public static boolean isGlob(String pattern) {
        return pattern.contains("*");
    }

    /** Whether {@code ref} (an exact branch or tag) is one {@code pattern} names; {@link #DEFAULT_BRANCH} names none by itself. */
    public static boolean matches(String pattern, String ref) {
        if (!isGlob(pattern)) {
            return pattern.equals(ref);
        }
        StringBuilder regex = new StringBuilder();
        for (String part : pattern.split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return ref.matches(regex.toString());
    }

    /** Whether any of {@code patterns} names {@code ref}. */
    public static boolean anyMatches(Collection<String> patterns, String ref) {
        return patterns.stream().anyMatch(pattern -> matches(pattern, ref));
    }
}
