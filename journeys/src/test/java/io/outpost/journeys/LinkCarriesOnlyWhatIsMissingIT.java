package io.outpost.journeys;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.broker.TwoSites;
import io.outpost.cli.OneMachine;
import io.outpost.content.RefPatterns;
import io.outpost.gateway.upstream.git.OriginMirrors;
import io.outpost.iacworker.RunOutcome;
import io.outpost.iacworker.RunRecord;
import io.outpost.iacworker.StackRunner;
import io.outpost.link.LinkDirection;
import io.outpost.txrxsim.origin.DemoOrigin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.jgit.transport.URIish;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LinkCarriesOnlyWhatIsMissingIT {
    @RegisterExtension
    final TwoSites sites = new TwoSites();

    @Test
    void oneNewCommitOnA50CommitRepoCostsUnderAFifthOfAFullBundleOnTheLink() throws Exception {
        OneMachine.Running running = Journeys.start(sites);
        for (int i = 0; i < 49; i++) {
            running.origin().publishNext();
        }
        assertThat(running.runner().run(StackRunner.SCHEDULED).outcome()).isEqualTo(RunOutcome.CONVERGED);
        long before = running.link().bytes(LinkDirection.TO_OUTPOST) + running.link().bytes(LinkDirection.TO_UPSTREAM);

        running.origin().publishNext();
        RunRecord run = running.runner().run(StackRunner.SCHEDULED);
        long oneCommit = running.link().bytes(LinkDirection.TO_OUTPOST) + running.link().bytes(LinkDirection.TO_UPSTREAM) - before;

        assertThat(run.outcome()).isEqualTo(RunOutcome.CONVERGED);
        assertThat(run.outputs()).containsEntry("release", "51");
        long fullBundle = fullBundleSize(running.origin());
        System.out.printf("one new commit: %d link bytes (request and answer); full bundle of 51 commits: %d bytes%n", oneCommit, fullBundle);
        assertThat(oneCommit).isLessThan(fullBundle / 5);
    }

    private long fullBundleSize(DemoOrigin origin) throws Exception {
        OriginMirrors mirrors = new OriginMirrors(sites.data().resolve("measure"));
        mirrors.refresh("all", new URIish(origin.dir().toUri().toURL()));
        Path bundle = sites.data().resolve("full.bundle");
        mirrors.writeBundle("all", mirrors.tips("all", List.of(DemoOrigin.BRANCH), RefPatterns.ALL), bundle);
        return Files.size(bundle);
    }
}
