package io.outpost.txrxsim.origin;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The files of the demo's Terraform config at a given release. Its resources are built in
 * ({@code terraform_data}); it requires the demo origin's provider, which reaches the outpost through the
 * provider mirror, and calls the demo origin's label module ({@link DemoModuleRegistry}), which reaches it
 * through the module mirror. The release number, the image, pinned by digest in the outpost's registry, and
 * the label are its outputs.
 */
final class DemoConfig {
    private DemoConfig() {
    }

    /**
     * File name to content, in git tree order.
     *
     * @param image repository@digest of the release's image, or null when the demo runs without images */
    static Map<String, String> files(int release, String image, String changelog) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put(".gitignore", ".terraform/\n*.tfstate\n*.tfstate.*\n*.tfplan\n");
        files.put("CHANGELOG.md", changelog);
        files.put("main.tf", """
                # The demo service deployed at the outpost. Each release at the origin bumps local.release and
                # pins a new image by digest; the outpost's worker sets var.outpost_registry to its local registry.
                terraform {
                  required_version = ">= 1.5"
                  required_providers {
                    # Comes over the link: the outpost gateway's provider mirror asks upstream for it.
                    stamp = {
                      source  = "%s"
                      version = "~> 1.0"
                    }
                  }
                }

                variable "outpost_registry" {
                  type        = string
                  default     = ""
                  description = "host:port of the outpost's local registry"
                }

                # Comes over the link too, with the module it calls: the outpost's module mirror serves both.
                module "label" {
                  source  = "%s"
                  version = "~> 1.0"
                  name    = "demo-web"
                  release = local.release
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

                output "label" {
                  value = module.label.text
                }
                """.formatted(DemoProviderRegistry.SOURCE, DemoModuleRegistry.LABEL));
        files.put("release.tf", "locals {\n  release = " + release + "\n  image = \"" + (image == null ? "" : image) + "\"\n}\n");
        return files;
    }

    static String changelogEntry(int release) {
        return "## Release " + release + "\n\nBumps the demo service to release " + release + ".\n\n";
    }
}
