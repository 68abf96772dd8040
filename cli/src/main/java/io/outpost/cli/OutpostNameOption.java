package io.outpost.cli;

import io.outpost.content.Names;
import picocli.CommandLine.Option;

/** The outpost's name: one setting for every command that names the outpost ({@code --outpost} is the same setting under its older name). */
final class OutpostNameOption {
    @Option(names = {"--name", "--outpost"}, defaultValue = Names.DEFAULT_OUTPOST,
            description = "The outpost's name: sent with each request, its key is created under it, an upstream serves the outpost of this name "
                    + "(lower-case letters, digits, '.', '_', '-'; default: ${DEFAULT-VALUE}).")
    String name;
}
