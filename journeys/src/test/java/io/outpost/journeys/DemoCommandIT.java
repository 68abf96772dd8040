package io.outpost.journeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.outpost.cli.OutpostCli;
import io.outpost.txrxsim.origin.DemoOrigin;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.zeroturnaround.exec.ProcessExecutor;
import org.zeroturnaround.exec.ProcessResult;
import org.junit.jupiter.api.io.TempDir;

/**
 * `outpost demo` as a user runs it: releases converge, and a second start resumes from the first; with podman on the
 * machine, each release runs as a container.
 */
class DemoCommandIT {
    @TempDir
    Path data;

    @Test
    void theDemoConvergesReleasesAndResumesOnTheSameDataDirectory() {
        String first = demo("--for", "12s", "--container-engine", "none");
        // the first runs may end pending while the first image crosses, and the origin moves on meanwhile
        assertThat(first).containsPattern("run \\d+ of demo converged to release \\d+ ").contains("dashboard http://127.0.0.1:");
        assertThat(convergedThisSession(first)).isGreaterThanOrEqualTo(2);

        String second = demo("--for", "4s", "--container-engine", "none");
        assertThat(second).as("the subscription after a restart carries the outpost's tip (push is the demo's default)")
                .contains("-> Subscribe demo-config (haves: 1 refs,");
        assertThat(second).doesNotContain("converged to release 1 ");
    }

    @Test
    void withPodmanTheDemoRunsEachReleaseItAppliesAndTheSummaryShowsItsPage() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/podman")) && Files.isExecutable(Path.of("/usr/sbin/runc")),
                "podman and runc are not installed (apt-get install -y podman runc; .ci/run installs them)");

        String printed = demo("--for", "12s", "--container-engine", "podman");

        Matcher page = Pattern.compile("release (\\d+) applied; its container \\(podman\\) at http://127\\.0\\.0\\.1:\\d+/ answers: (.*)").matcher(printed);
        assertThat(page.find()).as("the summary's container line").isTrue();
        assertThat(page.group(2)).as("the running container serves the release applied last").isEqualTo("Outpost demo web, release " + page.group(1));
        ProcessResult left = new ProcessExecutor().command("podman", "ps", "-a", "--format", "{{.Names}}").readOutput(true).execute();
        assertThat(left.outputUTF8()).as("the demo removes its container when it stops").doesNotContain(DemoOrigin.CONTAINER);
    }

    private String demo(String... extra) {
        PrintStream original = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            String[] args = {"demo", "--data", data.toString(), "--delay", "200ms", "--release-every", "3s", "--run-every", "1s",
                    "--terraform", Journeys.TERRAFORM.toString()};
            String[] all = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.Arrays.stream(extra)).toArray(String[]::new);
            exit = OutpostCli.commandLine().execute(all);
        } finally {
            System.setOut(original);
        }
        String printed = out.toString(StandardCharsets.UTF_8);
        System.out.println(printed);
        assertThat(exit).as("exit code").isZero();
        return printed;
    }

    private static int convergedThisSession(String printed) {
        Matcher matcher = Pattern.compile("releases converged at the outpost this session: (\\d+)").matcher(printed);
        assertThat(matcher.find()).as("summary printed").isTrue();
        return Integer.parseInt(matcher.group(1));
    }
}
