package io.outpost.iacworker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outpost.data.DataDirectory;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The input variables an outpost sets for its stack: names Terraform accepts, and never the one the worker owns. */
class IacWorkerTest {
    @TempDir
    Path data;

    private IacWorker.Builder worker() {
        return IacWorker.builder(new DataDirectory(data).outpost(), new Stack("demo", "demo-config", "refs/heads/main"),
                new ProviderMirrorAccess(URI.create("https://127.0.0.1:1/"), data.resolve("ca.pem")), Path.of("/usr/local/bin/terraform"));
    }

    @Test
    void anOutpostsVariablesAreKept() {
        assertThat(worker().variables(Map.of("container_engine", "podman", "web-listen", "127.0.0.1:8080")).build().variables())
                .containsEntry("container_engine", "podman").containsEntry("web-listen", "127.0.0.1:8080");
    }

    @Test
    void theLocalRegistrysVariableAndNamesTerraformRefusesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> worker().variables(Map.of(IacWorker.REGISTRY_VARIABLE, "elsewhere:5000")).build())
                .hasMessageContaining("--registry");
        assertThatThrownBy(() -> worker().variables(Map.of("1engine", "podman")).build()).hasMessageContaining("not a Terraform variable name");
    }
}
