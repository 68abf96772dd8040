package io.outpost.journeys;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.broker.TwoSites;
import io.outpost.cli.OneMachine;
import io.outpost.iacworker.RunOutcome;
import io.outpost.iacworker.RunRecord;
import io.outpost.iacworker.StackRunner;
import io.outpost.txrxsim.origin.Release;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The foundation story: a commit published at the origin is applied by terraform at the outpost. */
class ConfigReachesApplyIT {
    @RegisterExtension
    final TwoSites sites = new TwoSites();

    @Test
    void aNewOriginCommitIsAppliedAtTheOutpostByTheNextRun() throws Exception {
        OneMachine.Running running = Journeys.start(sites);

        RunRecord first = running.runner().run(StackRunner.SCHEDULED);
        assertThat(first.outcome()).as(String.valueOf(first.error())).isEqualTo(RunOutcome.CONVERGED);
        assertThat(first.outputs()).containsEntry("release", "1");

        Release next = running.origin().publishNext();
        RunRecord second = running.runner().run(StackRunner.SCHEDULED);

        assertThat(second.outcome()).as(String.valueOf(second.error())).isEqualTo(RunOutcome.CONVERGED);
        assertThat(second.commit()).isEqualTo(next.commit());
        assertThat(second.outputs()).containsEntry("release", String.valueOf(next.number()));
        assertThat(localHead()).isEqualTo(next.commit());
    }

    private String localHead() throws Exception {
        try (Repository local = new FileRepositoryBuilder()
                .setGitDir(sites.data().resolve("outpost/git/demo-config.git").toFile()).setBare().build()) {
            return local.exactRef("refs/heads/main").getObjectId().name();
        }
    }
}
