package io.outpost.iacworker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.outpost.content.BillOfMaterials;
import io.outpost.content.ImageRef;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The images a plan needs, as the worker's namespace names them. */
class ImageRequirementsTest {
    @TempDir
    Path config;

    @Test
    void aTenantsWorkerSeesItsOwnRepositoriesByTheirNamesAndNoOneElses() throws Exception {
        JsonNode plan = new ObjectMapper().readTree("""
                {"values": {"web": "127.0.0.1:5000/blue/demo/web:1.0", "other": "127.0.0.1:5000/green/demo/web:1.0", "note": "127.0.0.1:5000/blue/"}}
                """);
        Files.writeString(config.resolve(BillOfMaterials.FILE), "images:\n  - demo/worker:2.0\n");

        assertThat(ImageRequirements.of(plan, config, "127.0.0.1:5000/blue").keySet()).extracting(ImageRef::toString)
                .containsExactly("127.0.0.1:5000/demo/web:1.0", "127.0.0.1:5000/demo/worker:2.0");
    }

    @Test
    void withoutATenantTheWholeRegistryIsTheOutposts() throws Exception {
        JsonNode plan = new ObjectMapper().readTree("{\"web\": \"127.0.0.1:5000/demo/web@sha256:" + "a".repeat(64) + "\"}");

        assertThat(ImageRequirements.of(plan, config, "127.0.0.1:5000").keySet()).extracting(ImageRef::repository).containsExactly("demo/web");
    }
}
