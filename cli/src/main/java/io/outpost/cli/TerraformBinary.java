package io.outpost.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Finds the terraform CLI, or says plainly how to get one. */
final class TerraformBinary {
    private TerraformBinary() {
    }

    static Path locate(String given) {
        if (given != null && !given.isBlank()) {
            Path path = Path.of(given);
            if (Files.isExecutable(path)) {
                return path;
            }
            throw new IllegalStateException("terraform not found at " + given + ": pass --terraform with the path to terraform 1.5 or newer");
        }
        return ExecutableOnPath.find("terraform")
                .or(() -> Stream.of(Path.of("/usr/local/bin/terraform"), Path.of("/usr/bin/terraform")).filter(Files::isExecutable).findFirst())
                .orElseThrow(() -> new IllegalStateException(
                        "terraform CLI not found on PATH: install terraform 1.5 or newer, or pass --terraform PATH"));
    }
}
