package io.outpost.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RefPatternsTest {
    @Test
    void globsMatchAcrossSlashesExactRefsOnlyThemselves() {
        assertThat(RefPatterns.matches("refs/tags/v*", "refs/tags/v1.2.0")).isTrue();
        assertThat(RefPatterns.matches("refs/tags/v*", "refs/tags/release-1")).isFalse();
        assertThat(RefPatterns.matches("refs/heads/release/*", "refs/heads/release/2026/12")).isTrue();
        assertThat(RefPatterns.matches("refs/heads/main", "refs/heads/main")).isTrue();
        assertThat(RefPatterns.matches("refs/heads/main", "refs/heads/main2")).isFalse();
        assertThat(RefPatterns.matches("refs/tags/v1.*", "refs/tags/v1x2")).as("a dot is a dot").isFalse();
        assertThat(RefPatterns.anyMatches(RefPatterns.ALL, "refs/notes/commits")).isFalse();
    }

    @Test
    void onlyTheDefaultBranchBranchesAndTagsAreNamed() {
        assertThat(List.of("HEAD", "refs/tags/v*", "refs/heads/main")).allSatisfy(RefPatterns::require);
        assertThatThrownBy(() -> RefPatterns.require("refs/outpost/incoming/*")).hasMessageContaining("refs/tags/v*");
        assertThatThrownBy(() -> RefPatterns.require("main")).hasMessageContaining("HEAD (the default branch)");
        assertThatThrownBy(() -> RefPatterns.require("refs/heads/../x")).isInstanceOf(IllegalArgumentException.class);
    }
}
