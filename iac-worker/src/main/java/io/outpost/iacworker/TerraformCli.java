package io.outpost.iacworker;

import com.fasterxml.jackson.databind.JsonNode;
import io.outpost.protocol.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.zeroturnaround.exec.ProcessExecutor;
import org.zeroturnaround.exec.ProcessResult;
import org.zeroturnaround.exec.StartedProcess;

/**
 * The real terraform CLI, run through zt-exec with a CLI config of Outpost's own: providers come only
 * from the outpost's mirror, never the internet, TLS trusts only the outpost's internal CA, and no
 * checkpoint call is made. Stdout and stderr are
 * kept apart so {@code -json} output parses.
 */
public final class TerraformCli {
    private final Path binary;
    private final Path cliConfig;
    /** How long a stopped terraform may take to finish what it was doing and write its state. */
    static final Duration STOP_GRACE = Duration.ofSeconds(60);
    private final Duration timeout;
    private final Map<String, String> variables;
    private final Path caCertificate;
    private final ModuleMirrorAccess modules;

    /**
     * @param variables input variables every run gets (as TF_VAR_name), e.g. the local registry's address
     * @param caCertificate the only CA terraform trusts (the outpost's internal CA, which signed the mirror's certificate)
     * @param modules the module mirror, or null for none (configs then call no registry or git modules)
     */
    public TerraformCli(Path binary, Path cliConfig, Duration timeout, Map<String, String> variables, Path caCertificate, ModuleMirrorAccess modules) {
        this.binary = binary;
        this.cliConfig = cliConfig;
        this.timeout = timeout;
        this.variables = Map.copyOf(variables);
        this.caCertificate = caCertificate;
        this.modules = modules;
    }

    /** Writes the CLI config: every provider from the outpost's network mirror, no direct installation; no module registry. */
    public static void writeCliConfig(Path cliConfig, URI providerMirror) {
        writeCliConfig(cliConfig, providerMirror, Map.of());
    }

    /** As {@link #writeCliConfig(Path, URI)}, with each registry hostname's modules from {@code moduleHosts}' URL. */
    static void writeCliConfig(Path cliConfig, URI providerMirror, Map<String, URI> moduleHosts) {
        StringBuilder hosts = new StringBuilder();
        moduleHosts.forEach((hostname, registry) -> hosts.append("""
                host "%s" {
                  services = {
                    "modules.v1" = "%s"
                  }
                }
                """.formatted(hostname, registry)));
        try {
            Files.createDirectories(cliConfig.getParent());
            Files.writeString(cliConfig, """
                    # Written by Outpost: terraform at the outpost installs every provider from the outpost's mirror,
                    # never from the internet (no "direct" block), and registry modules from its module mirror.
                    provider_installation {
                      network_mirror {
                        url = "%s"
                      }
                    }
                    """.formatted(providerMirror) + hosts);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write terraform CLI config " + cliConfig, e);
        }
    }

    /**
     * Installs the modules the config calls ({@code terraform get}): registry modules through the CLI
     * config's {@code host} blocks, rewritten first for the hostnames this config may call, git modules
     * through the module mirror's git config; from the outpost only.
     */
    public void installModules(Path dir) {
        if (modules != null) {
            writeCliConfig(cliConfig, modules.providerMirror(), modules.hosts(dir));
        }
        run(dir, List.of("get", "-no-color"), 0);
    }

    /** What {@code terraform providers} prints: the providers the config, its modules and its state require. */
    public String providers(Path dir) {
        return run(dir, List.of("providers", "-no-color"), 0);
    }

    public void init(Path dir) {
        run(dir, List.of("init", "-input=false", "-no-color"), 0);
    }

    /** Plans into {@code planFile}; the summary comes from terraform's machine-readable output. */
    public PlanSummary plan(Path dir, Path planFile) {
        String out = run(dir, List.of("plan", "-input=false", "-no-color", "-json", "-out=" + planFile), 0);
        for (String line : out.split("\n")) {
            JsonNode event = parse(line);
            if ("change_summary".equals(event.path("type").asText())) {
                JsonNode changes = event.path("changes");
                return new PlanSummary(changes.path("add").asInt(), changes.path("change").asInt(), changes.path("remove").asInt());
            }
        }
        throw new TerraformException("terraform plan printed no change summary");
    }

    /** The saved plan as JSON ({@code terraform show -json}). */
    public JsonNode show(Path dir, Path planFile) {
        return parse(run(dir, List.of("show", "-no-color", "-json", planFile.toString()), 0));
    }

    public void apply(Path dir, Path planFile) {
        run(dir, List.of("apply", "-input=false", "-no-color", planFile.toString()), 0);
    }

    /** Output values as strings (JSON for non-string values). */
    public Map<String, String> outputs(Path dir) {
        JsonNode outputs = parse(run(dir, List.of("output", "-no-color", "-json"), 0));
        Map<String, String> values = new LinkedHashMap<>();
        outputs.properties().forEach(output -> {
            JsonNode value = output.getValue().path("value");
            values.put(output.getKey(), value.isTextual() ? value.asText() : value.toString());
        });
        return values;
    }

    private String run(Path dir, List<String> arguments, int... okExitCodes) {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(arguments);
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        StartedProcess started;
        try {
            started = new ProcessExecutor().command(command).directory(dir.toFile())
                    .environment(environment())
                    .readOutput(true)
                    .redirectError(stderr)
                    .start();
        } catch (IOException e) {
            throw new TerraformException("cannot run " + binary + ": " + e.getMessage(), e);
        }
        try {
            ProcessResult result = started.getFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            int exit = result.getExitValue();
            for (int ok : okExitCodes) {
                if (exit == ok) {
                    return result.outputUTF8();
                }
            }
            throw new TerraformException(TerraformMessages.describe(arguments.get(0), exit, stderr.toString(StandardCharsets.UTF_8), result.outputUTF8()));
        } catch (ExecutionException e) {
            throw new TerraformException("cannot run " + binary + ": " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new TerraformException("terraform " + arguments.get(0) + " took longer than " + timeout + stop(started.getProcess()), e);
        } catch (InterruptedException e) {
            String stopped = stop(started.getProcess());
            Thread.currentThread().interrupt();
            throw new TerraformException("interrupted while running terraform " + arguments.get(0) + stopped, e);
        }
    }

    /**
     * Stops terraform as Ctrl-C would (SIGTERM): it asks its providers and provisioners to stop and writes its state,
     * which killing it would lose. Waits {@link #STOP_GRACE} for that, with the caller's interrupt set aside; then stops
     * what it started and left running (a provisioner's command outlives it). Says how it went.
     */
    private static String stop(Process terraform) {
        boolean interrupted = Thread.interrupted();
        List<ProcessHandle> children = terraform.descendants().toList();
        try {
            terraform.destroy();
            if (terraform.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroy);
                return " (stopped; it kept its state)";
            }
            terraform.destroyForcibly();
            return " (killed: it did not stop within " + STOP_GRACE.toSeconds() + " s; check the state and its lock)";
        } catch (InterruptedException again) {
            terraform.destroyForcibly();
            return " (killed)";
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Map<String, String> environment() {
        Map<String, String> environment = new LinkedHashMap<>();
        variables.forEach((name, value) -> environment.put("TF_VAR_" + name, value));
        environment.put("TF_CLI_CONFIG_FILE", cliConfig.toAbsolutePath().toString());
        environment.put("TF_IN_AUTOMATION", "1");
        environment.put("TF_INPUT", "0");
        environment.put("CHECKPOINT_DISABLE", "1");
        environment.put("SSL_CERT_FILE", caCertificate.toAbsolutePath().toString());
        // terraform's git (for git modules) reads only the module mirror's config: its URLs lead to the outpost's copies
        environment.put("GIT_CONFIG_NOSYSTEM", "1");
        environment.put("GIT_TERMINAL_PROMPT", "0");
        environment.put("GIT_CONFIG_GLOBAL", modules == null ? "/dev/null" : modules.gitConfig().toAbsolutePath().toString());
        return environment;
    }

    private static JsonNode parse(String json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw new TerraformException("terraform printed output that is not JSON: " + json.lines().findFirst().orElse(""), e);
        }
    }
}
