package io.outpost.cli;

import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** How the iac-worker runs, for {@code demo} and {@code worker}. */
final class RunOptions {
    @Option(names = "--run-every", defaultValue = "30s", converter = Converters.DurationConverter.class,
            description = "How often the worker runs an update (default: ${DEFAULT-VALUE}).")
    Duration runEvery;

    @Option(names = "--sync-wait", converter = Converters.DurationConverter.class,
            description = "How long a run waits for the link before it ends as pending (default: the run interval).")
    Duration syncWait;

    @Option(names = "--terraform", description = "Path of the terraform CLI (default: found on PATH).")
    String terraform;

    Duration syncWait() {
        return syncWait == null ? runEvery : syncWait;
    }

    Path terraform() {
        return TerraformBinary.locate(terraform);
    }
}
