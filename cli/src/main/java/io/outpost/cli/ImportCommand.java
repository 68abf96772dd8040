package io.outpost.cli;

import io.outpost.content.Tenants;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** At the outpost: hands an archive from removable media to the running outpost gateway. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Have the running outpost gateway verify an archive from 'outpost export' and apply it as if it came over the link.",
                "A damaged, tampered, foreign or untrusted archive is refused and changes nothing."})
final class ImportCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "ARCHIVE", description = "The archive, readable by the gateway.")
    Path archive;

    @Mixin
    OperatorRequestOptions gateway;

    @Option(names = "--wait", defaultValue = "30m", converter = Converters.DurationConverter.class,
            description = "How long to wait for the gateway to verify and apply it (default: ${DEFAULT-VALUE}).")
    Duration wait;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(archive)) {
            throw new IllegalArgumentException(archive + " is not a file");
        }
        return gateway.ask(Tenants.OUTPOST, archive.toString(), wait, client -> client.importArchive(archive));
    }
}
