package io.outpost.iacworker;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.content.provider.LockFile;
import io.outpost.protocol.ProviderGet;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProviderRequirementsTest {
    @TempDir
    Path config;

    /** What terraform 1.x prints for a config with a module and state. */
    private static final String PROVIDERS = """

            Providers required by configuration:
            .
            ├── provider[registry.terraform.io/hashicorp/null] ~> 3.0
            ├── provider[registry.outpost.test/demo/stamp] >= 1.0
            ├── provider[terraform.io/builtin/terraform]
            └── module.app
                └── provider[registry.terraform.io/hashicorp/null] < 3.9.0

            Providers required by state:

                provider[registry.terraform.io/hashicorp/random]

            """;

    @Test
    void everyNonBuiltinProviderIsRequiredWithAllItsConstraints() {
        assertThat(ProviderRequirements.of(PROVIDERS, config)).extracting(ProviderGet::subject).containsExactly(
                "registry.terraform.io/hashicorp/null ~> 3.0, < 3.9.0",
                "registry.outpost.test/demo/stamp >= 1.0",
                "registry.terraform.io/hashicorp/random");
    }

    @Test
    void aLockedVersionIsAskedForExactly() throws Exception {
        Files.writeString(config.resolve(LockFile.NAME), """
                provider "registry.terraform.io/hashicorp/null" {
                  version     = "3.2.1"
                  constraints = "~> 3.0"
                  hashes = [
                    "h1:tSj1mL6OQ8ILGqR2mDu7OYYYWf+hoir0pf9KAQ8IzO8=",
                  ]
                }
                """);
        assertThat(ProviderRequirements.of(PROVIDERS, config)).extracting(ProviderGet::versions)
                .containsExactly("= 3.2.1", ">= 1.0", "");
    }
}
