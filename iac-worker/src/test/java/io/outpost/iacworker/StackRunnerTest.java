package io.outpost.iacworker;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.events.OperatorEvents;
import io.outpost.protocol.ErrorCode;
import io.outpost.protocol.Ready;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs end as converged, pending or failed, and say why; the gateway is replaced by its interface. */
class StackRunnerTest {
    private static final Stack STACK = new Stack("web", "infra", "refs/heads/main");

    @TempDir
    Path dir;

    @Test
    void aRunWhoseSyncDoesNotArriveInTimeIsPendingAndSaysWhatItWaitsFor() {
        StackRunner runner = runner((repo, ref) -> new CompletableFuture<>());
        RunRecord run = runner.run(StackRunner.SCHEDULED);
        assertThat(run.outcome()).isEqualTo(RunOutcome.PENDING);
        assertThat(run.error()).contains("waiting on the link for infra");
        assertThat(runner.history().last(5)).containsExactly(run);
    }

    @Test
    void aRefusedSyncFailsTheRunWithTheUpstreamsReason() {
        StackRunner runner = runner((repo, ref) -> CompletableFuture.completedFuture(
                Ready.failed(repo, ErrorCode.FORBIDDEN, "forbidden: repo 'infra' is not on this upstream's allowlist")));
        RunRecord run = runner.run(StackRunner.SCHEDULED);
        assertThat(run.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(run.error()).contains("not on this upstream's allowlist");
    }

    @Test
    void aReadyRepoIsCheckedOutAndApplied() throws Exception {
        commit("resource \"terraform_data\" \"a\" { input = 1 }\n");
        StackRunner runner = runner((repo, ref) -> CompletableFuture.completedFuture(new Ready(repo, Ready.Status.UPDATED, Map.of(), "")));
        RunRecord run = runner.run(StackRunner.SCHEDULED);
        assertThat(run.outcome()).as(String.valueOf(run.error())).isEqualTo(RunOutcome.CONVERGED);
        assertThat(run.applied()).isTrue();
        assertThat(run.plan()).isEqualTo("+1 ~0 -0");
        assertThat(runner.run(StackRunner.READY).applied()).as("second run: nothing to change").isFalse();
    }

    @Test
    void aRunCutShortByTheWorkerStoppingIsPendingNotFailed() throws Exception {
        String marker = "sleep 31.0" + ProcessHandle.current().pid(); // a command line only this test's provisioner has
        commit("resource \"terraform_data\" \"slow\" {\n  provisioner \"local-exec\" {\n    command = \"" + marker + "\"\n  }\n}\n");
        StackRunner runner = runner((repo, ref) -> CompletableFuture.completedFuture(new Ready(repo, Ready.Status.UPDATED, Map.of(), "")));
        CompletableFuture<RunRecord> run = new CompletableFuture<>();
        Thread worker = new Thread(() -> run.complete(runner.run(StackRunner.SCHEDULED)));
        worker.start();
        for (int waited = 0; waited < 600 && !Files.exists(dir.resolve("outpost/worker/web/config/.terraform")); waited++) {
            Thread.sleep(100);
        }
        Thread.sleep(3_000); // past init, into the plan or the apply's sleep

        worker.interrupt();

        RunRecord stopped = run.get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(stopped.outcome()).isEqualTo(RunOutcome.PENDING);
        assertThat(stopped.error()).contains("stopped before it finished").contains("it kept its state");
        assertThat(runner.history().last(1)).as("recorded").containsExactly(stopped);
        java.util.function.Supplier<List<ProcessHandle>> left = () -> ProcessHandle.allProcesses()
                .filter(process -> process.info().commandLine().orElse("").contains(marker)).toList();
        for (int waited = 0; waited < 50 && !left.get().isEmpty(); waited++) {
            Thread.sleep(100); // a signalled process takes a moment to go
        }
        assertThat(left.get()).as("the provisioner's command terraform left running is stopped too").isEmpty();
    }

    private void commit(String mainTf) throws Exception {
        Path remote = dir.resolve("outpost/git/infra.git");
        try (Git work = Git.init().setDirectory(dir.resolve("work").toFile()).setInitialBranch("main").call()) {
            Files.writeString(dir.resolve("work/main.tf"), mainTf);
            work.add().addFilepattern(".").call();
            work.commit().setMessage("one").setSign(false).call();
            Git.cloneRepository().setURI(dir.resolve("work").toUri().toString()).setBare(true).setDirectory(remote.toFile()).call().close();
        }
    }

    private StackRunner runner(GitSyncClient sync) {
        Path cliConfig = dir.resolve("outpost/worker/terraform.rc");
        TerraformCli.writeCliConfig(cliConfig, TerraformCliTest.NO_MIRROR);
        return new StackRunner(STACK, sync, (repository, reference, platform) -> new CompletableFuture<>(), pull -> new CompletableFuture<>(),
                pull -> new CompletableFuture<>(), null,
                new ConfigCheckout(dir.resolve("outpost/git/infra.git"), STACK.ref(), dir.resolve("outpost/worker/web/config")),
                new TerraformCli(TerraformCliTest.TERRAFORM, cliConfig, Duration.ofMinutes(2), Map.of(), dir.resolve("no-ca.pem"), null),
                new RunHistory(dir.resolve("outpost/worker/web/runs.jsonl")), OperatorEvents.none(), Clock.systemUTC(),
                Duration.ofMillis(300), new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    }
}
