package io.outpost.gateway.upstream.git;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.gateway.upstream.image.ImageOrigins;
import io.outpost.gateway.upstream.provider.ProviderOrigins;
import io.outpost.protocol.ImagePull;
import io.outpost.protocol.ModuleGet;
import io.outpost.protocol.ProviderGet;
import io.outpost.registry.RegistryEndpoint;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommitRequirementsTest {
    private static final ImageOrigins IMAGES = new ImageOrigins(Map.of("team/**", RegistryEndpoint.of("http://127.0.0.1:5000")));
    private static final ProviderOrigins PROVIDERS = new ProviderOrigins(List.of("registry.terraform.io/hashicorp/*", "example.org/team/*"),
            Map.of("example.org", URI.create("http://127.0.0.1:9")));
    private static final String DIGEST = "sha256:" + "ab".repeat(32);

    @Test
    void findsAllowedImagesAndProvidersInTerraformFilesPinnedByTheLockFile() {
        Map<String, String> files = Map.of(
                "main.tf", """
                        terraform {
                          required_providers {
                            null = {
                              source  = "hashicorp/null"
                              version = "~> 3.0"
                            }
                            thing = { source = "example.org/team/thing" }
                            other = { source = "elsewhere.io/x/y", version = "1.0.0" }
                          }
                        }
                        resource "docker_container" "web" { image = "registry.example.com:5000/team/web@%s" }
                        locals { side = "team/sidecar:1.4", notmine = "other/app:2", words = "not an image" }
                        """.formatted(DIGEST),
                ".terraform.lock.hcl", """
                        provider "registry.terraform.io/hashicorp/null" {
                          version     = "3.2.1"
                          constraints = "~> 3.0"
                        }
                        """);

        CommitRequirements requirements = CommitRequirements.of(files, IMAGES, PROVIDERS);

        assertThat(requirements.images()).extracting(ImagePull::subject).containsExactlyInAnyOrder("team/web@" + DIGEST, "team/sidecar:1.4");
        assertThat(requirements.providers()).extracting(ProviderGet::subject)
                .containsExactlyInAnyOrder("registry.terraform.io/hashicorp/null = 3.2.1", "example.org/team/thing");
    }

    @Test
    void moduleCallsOfTheTerraformFilesAndTheBillOfMaterialsAreRequirementsToo() {
        Map<String, String> files = Map.of(
                "main.tf", """
                        module "vpc" {
                          source  = "terraform-aws-modules/vpc/aws"
                          version = "~> 5.0"
                        }
                        module "net" {
                          source = "git::https://git.example.org/net.git?ref=v2"
                        }
                        module "here" {
                          source = "./modules/here"
                        }
                        """,
                "outpost.yaml", """
                        modules:
                          - source: example.org/team/dns/aws
                            version: "1.0.0"
                        """);

        assertThat(CommitRequirements.of(files, IMAGES, PROVIDERS).modules()).extracting(ModuleGet::subject).containsExactlyInAnyOrder(
                "registry.terraform.io/terraform-aws-modules/vpc/aws ~> 5.0", "git::https://git.example.org/net.git?ref=v2",
                "example.org/team/dns/aws 1.0.0");
    }

    @Test
    void theBillOfMaterialsAddsWhatStaticAnalysisCannotSee() {
        Map<String, String> files = Map.of("outpost.yaml", """
                images:
                  - team/batch:7
                providers:
                  - source: example.org/team/extra
                    version: ">= 2.0"
                """);

        CommitRequirements requirements = CommitRequirements.of(files, IMAGES, PROVIDERS);

        assertThat(requirements.images()).extracting(ImagePull::subject).containsExactly("team/batch:7");
        assertThat(requirements.providers()).extracting(ProviderGet::subject).containsExactly("example.org/team/extra >= 2.0");
    }

    @Test
    void aBrokenBillOfMaterialsOrHostileTextYieldsNothingRatherThanAnError() {
        Map<String, String> files = Map.of("outpost.yaml", "images: [unclosed", "evil.tf", "x = \"../../etc:passwd\" y = \"team/../x:1\"");

        CommitRequirements requirements = CommitRequirements.of(files, IMAGES, PROVIDERS);

        assertThat(requirements.images()).isEmpty();
        assertThat(requirements.providers()).isEmpty();
    }
}
