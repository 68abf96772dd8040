package io.outpost.iacworker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real terraform CLI, offline, with Outpost's own CLI config. */
class TerraformCliTest {
    static final Path TERRAFORM = Path.of(System.getProperty("outpost.terraform", "/usr/local/bin/terraform"));
    /** For configs that need no provider: nothing listens there. */
    static final java.net.URI NO_MIRROR = java.net.URI.create("https://127.0.0.1:9/");

    @TempDir
    Path dir;
    private TerraformCli terraform;

    @BeforeEach
    void cli() {
        Path cliConfig = dir.resolve("terraform.rc");
        TerraformCli.writeCliConfig(cliConfig, NO_MIRROR);
        terraform = new TerraformCli(TERRAFORM, cliConfig, Duration.ofMinutes(2), java.util.Map.of("greeting", "hello"), dir.resolve("no-ca.pem"), null);
    }

    @Test
    void plansAppliesAndReadsOutputs() throws Exception {
        Path config = Files.createDirectories(dir.resolve("config"));
        Files.writeString(config.resolve("main.tf"), """
                variable "greeting" { type = string }
                resource "terraform_data" "a" { input = "one" }
                output "value" { value = terraform_data.a.output }
                output "greeting" { value = var.greeting }
                """);
        terraform.init(config);
        PlanSummary plan = terraform.plan(config, config.resolve("p.tfplan"));
        assertThat(plan).isEqualTo(new PlanSummary(1, 0, 0));
        terraform.apply(config, config.resolve("p.tfplan"));
        assertThat(terraform.outputs(config)).containsEntry("value", "one").containsEntry("greeting", "hello");
        assertThat(terraform.plan(config, config.resolve("p.tfplan")).hasChanges()).isFalse();
    }

    @Test
    void aBrokenConfigFailsWithWhatTerraformSaid() throws Exception {
        Path config = Files.createDirectories(dir.resolve("broken"));
        Files.writeString(config.resolve("main.tf"), "resource \"terraform_data\" {\n");
        assertThatThrownBy(() -> terraform.init(config)).isInstanceOf(TerraformException.class)
                .hasMessageStartingWith("Unclosed configuration block (terraform init exited 1): on main.tf line 1")
                .hasMessageNotContaining("\u001B");
    }

    @Test
    void aProviderNotInTheMirrorIsNeverFetchedFromTheInternet() throws Exception {
        Path config = Files.createDirectories(dir.resolve("needs-provider"));
        Files.writeString(config.resolve("main.tf"), """
                terraform {
                  required_providers {
                    random = { source = "hashicorp/random" }
                  }
                }
                """);
        assertThatThrownBy(() -> terraform.init(config)).isInstanceOf(TerraformException.class)
                .hasMessageContaining("hashicorp/random");
    }
}
