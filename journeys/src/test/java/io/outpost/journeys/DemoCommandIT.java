package io.outpost.journeys;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.cli.OutpostCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `outpost demo` as a user runs it: releases converge, and a second start resumes from the first. */
class DemoCommandIT {
    @TempDir
    Path data;

    @Test
    void theDemoConvergesReleasesAndResumesOnTheSameDataDirectory() {
        String first = demo("--for", "12s");
        // the first runs may end pending while the first image crosses, and the origin moves on meanwhile
        assertThat(first).containsPattern("run \\d+ of demo converged to release \\d+ ").contains("dashboard http://127.0.0.1:");
        assertThat(convergedThisSession(first)).isGreaterThanOrEqualTo(2);

        String second = demo("--for", "4s");
        assertThat(second).as("the subscription after a restart carries the outpost's tip (push is the demo's default)")
                .contains("-> Subscribe demo-config (haves: 1 refs,");
        assertThat(second).doesNotContain("converged to release 1 ");
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
