package io.outpost.iacworker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Terraform's failures as a run records them: headline first, no colour codes, no boxes, no preamble. */
class TerraformMessagesTest {
    /** What terraform 1.x printed for a module not installed, colours and all (captured from the real CLI). */
    private static final String COLOURED = "\u001B[31m\u001B[31m╷\u001B[0m\u001B[0m\n"
            + "\u001B[31m│\u001B[0m \u001B[0m\u001B[1m\u001B[31mError: \u001B[0m\u001B[0m\u001B[1mModule not installed\u001B[0m\n"
            + "\u001B[31m│\u001B[0m \u001B[0m\n"
            + "\u001B[31m│\u001B[0m \u001B[0m\u001B[0m  on main.tf line 1:\n"
            + "\u001B[31m│\u001B[0m \u001B[0m   1: \u001B[4mmodule \"vpc\"\u001B[0m {\u001B[0m\n"
            + "\u001B[31m│\u001B[0m \u001B[0m\n"
            + "\u001B[31m│\u001B[0m \u001B[0mThis module is not yet installed. Run \"terraform init\" to install all\n"
            + "\u001B[31m╵\u001B[0m\u001B[0m\n";

    @Test
    void colouredBoxedOutputBecomesOneLineHeadlineFirst() {
        String line = TerraformMessages.describe("providers", 1, COLOURED, "");
        assertThat(line).startsWith("Module not installed (terraform providers exited 1): on main.tf line 1: 1: module \"vpc\" {")
                .doesNotContain("\u001B", "│", "╷");
    }

    @Test
    void initsGenericPreambleGivesWayToTheConfigurationsOwnError() {
        String init = """
                Initializing the backend...

                Error: Terraform encountered problems during initialisation, including problems
                with the configuration, described below.

                Error: Unclosed configuration block

                  on main.tf line 1, in resource "terraform_data":
                   1: resource "terraform_data" {
                """;
        assertThat(TerraformMessages.describe("init", 1, init, "")).startsWith("Unclosed configuration block (terraform init exited 1): on main.tf line 1");
    }

    @Test
    void jsonDiagnosticsAreReadAsWell() {
        String plan = "{\"@level\":\"info\",\"@message\":\"Terraform 1.9\",\"type\":\"version\"}\n"
                + "{\"@level\":\"error\",\"@message\":\"Error: Missing required argument\",\"diagnostic\":{\"severity\":\"error\","
                + "\"summary\":\"Missing required argument\",\"detail\":\"The argument \\\"input\\\" is required,\\nbut no definition was found.\"},"
                + "\"type\":\"diagnostic\"}\n";
        assertThat(TerraformMessages.describe("plan", 1, "", plan))
                .isEqualTo("Missing required argument (terraform plan exited 1): The argument \"input\" is required, but no definition was found.");
    }

    @Test
    void withoutAnErrorTheLastLinesAreKept() {
        assertThat(TerraformMessages.describe("apply", 2, "", "one\n\u001B[1mtwo\u001B[0m\n")).isEqualTo("terraform apply exited 2: one | two");
    }
}
