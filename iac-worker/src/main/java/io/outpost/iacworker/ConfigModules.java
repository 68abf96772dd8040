package io.outpost.iacworker;

import io.outpost.content.module.ModuleCalls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The registry and git modules a checked-out config calls: from its {@code .tf} files and its local modules', not what terraform installed. */
final class ConfigModules {
    private ConfigModules() {
    }

    static List<ModuleCalls.Call> calls(Path dir) {
        List<ModuleCalls.Call> calls = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path tf : files.filter(file -> file.toString().endsWith(".tf") && !dir.relativize(file).startsWith(".terraform")).toList()) {
                calls.addAll(ModuleCalls.in(Files.readString(tf)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the module calls of " + dir, e);
        }
        return calls;
    }
}
