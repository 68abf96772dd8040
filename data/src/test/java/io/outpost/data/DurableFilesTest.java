package io.outpost.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableFilesTest {
    @TempDir
    Path dir;

    @Test
    void aSecretIsOwnerOnlyWhenFirstWrittenAndWhenReplacedAndALeftoverHalfWriteIsNoObstacle() throws Exception {
        Path secret = dir.resolve("keys/site.key");
        DurableFiles.writeSecret(secret, "first".getBytes());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).isEqualTo("rw-------");
        // a crash mid-write leaves the sibling behind, readable by anyone if an older version made it so
        Files.writeString(secret.resolveSibling("site.key.tmp"), "half");
        Files.setPosixFilePermissions(secret.resolveSibling("site.key.tmp"), PosixFilePermissions.fromString("rw-r--r--"));
        DurableFiles.writeSecret(secret, "second".getBytes());
        assertThat(Files.readString(secret)).isEqualTo("second");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).isEqualTo("rw-------");
    }

    @Test
    void anOrdinaryFileIsReplacedWhole() throws Exception {
        Path file = dir.resolve("link/stats.json");
        DurableFiles.writeAtomically(file, "{}".getBytes());
        DurableFiles.writeAtomically(file, "{\"a\":1}".getBytes());
        assertThat(Files.readString(file)).isEqualTo("{\"a\":1}");
        assertThat(file.resolveSibling("stats.json.tmp")).doesNotExist();
    }
}
