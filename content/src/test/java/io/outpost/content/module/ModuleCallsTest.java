package io.outpost.content.module;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModuleCallsTest {
    @Test
    void registryAndGitCallsAreFoundLocalOnesAreNot() {
        String tf = """
                module "vpc" {
                  source  = "terraform-aws-modules/vpc/aws"
                  version = "~> 5.0"
                  tags    = { Name = "x" }
                }
                module "label" {
                  source = "git::https://git.example.org/team/label.git//modules/short?ref=v1.2.0"
                }
                module "local" {
                  source = "./modules/local"
                }
                module "private" {
                  source  = "tf.example.org:8443/team/net/aws"
                  version = "1.0.0"
                }
                """;
        assertThat(ModuleCalls.in(tf)).containsExactly(
                new ModuleCalls.Call(new ModuleSource(ModuleSource.Kind.REGISTRY, "registry.terraform.io/terraform-aws-modules/vpc/aws", ""), "~> 5.0"),
                new ModuleCalls.Call(new ModuleSource(ModuleSource.Kind.GIT, "https://git.example.org/team/label.git", "v1.2.0"), ""),
                new ModuleCalls.Call(new ModuleSource(ModuleSource.Kind.REGISTRY, "tf.example.org:8443/team/net/aws", ""), "1.0.0"));
    }

    @Test
    void sourcesOutpostDoesNotMoveAreLeftOut() {
        assertThat(List.of("github.com/org/repo", "s3::https://bucket/x.zip", "https://example.com/m.zip", "../up", "git::ssh://git@host/x.git",
                "a/b"))
                .allSatisfy(source -> assertThat(ModuleSource.parse(source)).as(source).isEmpty());
        assertThat(ModuleSource.parse("git::https://git.example.org/x.git").orElseThrow().toString()).isEqualTo("git::https://git.example.org/x.git");
    }
}
