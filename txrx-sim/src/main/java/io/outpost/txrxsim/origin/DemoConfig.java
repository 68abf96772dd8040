package io.outpost.txrxsim.origin;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The files of the demo's Terraform config at a given release. Its resources are built in
 * ({@code terraform_data}); it requires the demo origin's provider, which reaches the outpost through the
 * provider mirror, and calls the demo origin's label module ({@link DemoModuleRegistry}), which reaches it
 * through the module mirror. The release number, the image, pinned by digest in the outpost's registry, and
 * the label are its outputs. Where the outpost names a container engine ({@code var.container_engine}), the release's
 * image runs as a container ({@code local-exec}), replaced when a release pins another image, and its page's URL is an
 * output too.
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

                variable "container_engine" {
                  type        = string
                  default     = ""
                  description = "podman or docker at the outpost, to run the release's image; empty records its digest only"
                }

                variable "web_listen" {
                  type        = string
                  default     = "127.0.0.1:8080"
                  description = "address:port where the running release's web server listens, on the host's network"
                }

                locals {
                  image_ref     = local.image == "" ? "" : "${var.outpost_registry}/${local.image}"
                  run_container = var.container_engine != "" && local.image != ""
                }

                resource "terraform_data" "service" {
                  input = {
                    name    = "demo-web"
                    release = local.release
                    image   = local.image_ref
                  }
                }

                # The release's image, run from the outpost's registry (plain HTTP on loopback: podman is told so,
                # Docker allows loopback by itself). A new image replaces the container.
                resource "terraform_data" "container" {
                  count            = local.run_container ? 1 : 0
                  triggers_replace = [local.image_ref, var.web_listen]
                  input = {
                    engine = var.container_engine
                    name   = "%s"
                  }

                  provisioner "local-exec" {
                    command = "${var.container_engine} rm -f %s >/dev/null 2>&1; ${var.container_engine} run -d --name %s --network host --ulimit nofile=1024:1024 --ulimit nproc=4096:4096 ${var.container_engine == "podman" ? "--tls-verify=false" : ""} ${local.image_ref} -p ${var.web_listen}"
                  }

                  provisioner "local-exec" {
                    when    = destroy
                    command = "${self.input.engine} rm -f ${self.input.name}"
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

                output "web" {
                  value       = local.run_container ? "http://${var.web_listen}/" : ""
                  description = "the running release's page"
                }
                """.formatted(DemoProviderRegistry.SOURCE, DemoModuleRegistry.LABEL, DemoOrigin.CONTAINER, DemoOrigin.CONTAINER, DemoOrigin.CONTAINER));
        files.put("release.tf", "locals {\n  release = " + release + "\n  image = \"" + (image == null ? "" : image) + "\"\n}\n");
        return files;
    }

    static String changelogEntry(int release) {
        return "## Release " + release + "\n\nBumps the demo service to release " + release + ".\n\n";
    }
}
