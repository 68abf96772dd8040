package io.outpost.origin;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The files of the demo's Terraform config at a given release. Builtin resources only
 * ({@code terraform_data}), so it needs no provider; the release number is its output.
 */
final class DemoConfig {
    private DemoConfig() {
    }

    /** File name to content, in git tree order. */
    static Map<String, String> files(int release, String changelog) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put(".gitignore", ".terraform/\n*.tfstate\n*.tfstate.*\n*.tfplan\n");
        files.put("CHANGELOG.md", changelog);
        files.put("main.tf", """
                # The demo service deployed at the outpost. Each release at the origin bumps local.release.
                terraform {
                  required_version = ">= 1.5"
                }

                resource "terraform_data" "service" {
                  input = {
                    name    = "demo-web"
                    release = local.release
                  }
                }

                output "release" {
                  value = terraform_data.service.output.release
                }
                """);
        files.put("release.tf", "locals {\n  release = " + release + "\n}\n");
        return files;
    }

    static String changelogEntry(int release) {
        return "## Release " + release + "\n\nBumps the demo service to release " + release + ".\n\n";
    }
}
