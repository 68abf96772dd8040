package io.outpost.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Options every command takes. */
final class CommonOptions {
    @Option(names = "--data", defaultValue = "${OUTPOST_DATA:-./outpost-data}",
            description = "Data directory: journals, repos, transfers, run history (default: ${DEFAULT-VALUE}; env OUTPOST_DATA).")
    Path data;

    @Option(names = SettingsDefaults.CONFIG_OPTION, description = {"A settings file: one 'name = value' per line, named as the options without '--'",
            "(e.g. 'provider-mirror-port = 5758'); the environment (OUTPOST_PROVIDER_MIRROR_PORT) overrides it, the command line both."})
    Path config;

    @Option(names = "--verbose", description = "Log at INFO level, not only warnings.")
    boolean verbose;
}
