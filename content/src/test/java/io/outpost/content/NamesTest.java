package io.outpost.content;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NamesTest {
    @ParameterizedTest(name = "ref {0} accepted: {1}")
    @CsvSource({
            "refs/heads/main, true",
            "refs/tags/v1.2.3, true",
            "refs/heads/team/feature-x, true",
            "refs/outpost/incoming/heads/main, false",
            "refs/heads/../../config, false",
            "HEAD, false",
            "refs/heads/main.lock, false",
            "refs/heads/a b, false",
            "refs/heads/, false",
            "refs/remotes/origin/main, false"})
    void onlyBranchesAndTagsCrossTheLink(String ref, boolean accepted) {
        if (accepted) {
            assertThatCode(() -> Names.requireRef(ref)).doesNotThrowAnyException();
        } else {
            assertThatThrownBy(() -> Names.requireRef(ref)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("illegal ref");
        }
    }

    @ParameterizedTest(name = "repo {0} accepted: {1}")
    @CsvSource({"demo-config, true", "infra_2.prod, true", "../etc, false", "a/b, false", ".hidden, false", "x.lock, false"})
    void repoNamesCannotEscapeTheirDirectory(String repo, boolean accepted) {
        if (accepted) {
            assertThatCode(() -> Names.requireRepo(repo)).doesNotThrowAnyException();
        } else {
            assertThatThrownBy(() -> Names.requireRepo(repo)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
