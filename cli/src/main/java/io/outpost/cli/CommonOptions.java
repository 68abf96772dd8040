package io.outpost.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every command takes. */
final class CommonOptions {
    @Option(names = "--data", defaultValue = "${OUTPOST_DATA:-./outpost-data}",
            description = "Data directory: journals, repos, transfers, run history (default: ${DEFAULT-VALUE}; env OUTPOST_DATA).")
    Path data;

    @Option(names = "--verbose", description = "Log at INFO level, not only warnings.")
    boolean verbose;
}
