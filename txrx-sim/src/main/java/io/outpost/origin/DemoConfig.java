package io.outpost.origin;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The files of the demo's Terraform config at a given release. Builtin resources only
 * ({@code terraform_data}), so it needs no provider; the release number and the image, pinned by digest
 * in the outpost's registry, are its outputs.
 */
final class DemoConfig {
    private DemoConfig() {
    }

    /** File name to content, in git tree order. */
    /** @param image repository@digest of the release's image, or null when the demo runs without images */
    static Map<String, String> files(int release, String image, String changelog) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put(".gitignore", ".terraform/\n*.tfstate\n*.tfstate.*\n*.tfplan\n");
        files.put("CHANGELOG.md", changelog);
        files.put("main.tf", """
                # The demo service deployed at the outpost. Each release at the origin bumps local.release and
                # pins a new image by digest; the outpost's worker sets var.outpost_registry to its local registry.
                terraform {
                  required_version = ">= 1.5"
                }

                variable "outpost_registry" {
                  type        = string
                  default     = ""
                  description = "host:port of the outpost's local registry"
                }

                resource "terraform_data" "service" {
                  input = {
                    name    = "demo-web"
                    release = local.release
                    image   = local.image == "" ? "" : "${var.outpost_registry}/${local.image}"
                  }
                }

                output "release" {
                  value = terraform_data.service.output.release
                }

                output "image" {
                  value = terraform_data.service.output.image
                }
                """);
        files.put("release.tf", "locals {\n  release = " + release + "\n  image = \"" + (image == null ? "" : image) + "\"\n}\n");
        return files;
    }

    static String changelogEntry(int release) {
        return "## Release " + release + "\n\nBumps the demo service to release " + release + ".\n\n";
    }
}
