package io.outpost.worker;

import io.micrometer.core.instrument.MeterRegistry;
import io.outpost.protocol.EnvelopeCodec;
import io.outpost.protocol.Ready;
import io.outpost.protocol.SyncMode;
import io.outpost.protocol.Tenants;
import io.outpost.registry.RegistryClient;
import io.outpost.registry.RegistryEndpoint;
import io.outpost.registry.RegistryNamespace;
import io.outpost.site.DeadLetters;
import io.outpost.site.OperatorEvents;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.CamelContext;

/**
 * The iac-worker at the outpost: keeps one stack applied from the outpost's local sources only.
 *
 * @param data the outpost site's data directory ({@code DATA/outpost}); the local remote is
 *             {@code git/<repo>.git} of the tenant's data ({@link Tenants#dataOf}), the worker's files {@code worker/<stack>/} there
 * @param tenant whose namespace the worker works in: its requests, ready events, local remotes and registry repositories
 * @param localRegistry the outpost's registry, or null; its address (with the tenant's prefix) is the config's {@code var.outpost_registry}
 * @param firstRunAfter when the first scheduled run starts
 * @param syncWait how long a run waits for the link before it ends as pending
 * @param providerMirror where terraform installs providers from
 * @param mode PULL: each scheduled run asks for a sync; PUSH: upstream sends updates unasked, runs use what is local
 * @param meters where {@code outpost.worker.runs} is counted
 */
public record IacWorker(Path data, Stack stack, String outpost, String tenant, RegistryEndpoint localRegistry, ProviderMirrorAccess providerMirror, SyncMode mode,
                        Duration firstRunAfter, Duration runEvery, Duration syncWait,
                        Path terraformBinary, OperatorEvents events, MeterRegistry meters, Clock clock) {

    public static final int MAX_MESSAGE_BYTES = 64 * 1024;
    /** The input variable through which configs name the local registry: {@code "${var.outpost_registry}/team/app@sha256:..."}. */
    public static final String REGISTRY_VARIABLE = "outpost_registry";

    /** The installed worker: its runner, and its client of the gateway. */
    public record Installed(StackRunner runner, GatewayClient gateway) {
    }

    public Installed install(CamelContext camel) throws Exception {
        Path own = Tenants.dataOf(data, tenant);
        Path workerDir = own.resolve("worker");
        Path cliConfig = workerDir.resolve("terraform.rc");
        TerraformCli.writeCliConfig(cliConfig, providerMirror.url());
        EnvelopeCodec codec = new EnvelopeCodec(MAX_MESSAGE_BYTES);
        GatewayClient gateway = new GatewayClient(GatewayClient.RequestQueue.of(camel.createProducerTemplate(), tenant), codec, outpost, clock);
        RegistryClient registry = localRegistry == null ? null : new RegistryClient(localRegistry).within(RegistryNamespace.of(tenant, List.of()));
        GitSyncClient sync = mode == SyncMode.PUSH ? (repo, ref) -> CompletableFuture.completedFuture(
                new Ready(repo, Ready.Status.UNCHANGED, Map.of(), "push mode: upstream sends updates unasked")) : gateway;
        StackRunner runner = new StackRunner(stack, sync, gateway, gateway, registry,
                new ConfigCheckout(own.resolve("git").resolve(stack.repo() + ".git"), stack.ref(), workerDir.resolve(stack.name()).resolve("config")),
                new TerraformCli(terraformBinary, cliConfig, Duration.ofMinutes(30),
                        registry == null ? Map.of() : Map.of(REGISTRY_VARIABLE, registry.address()), providerMirror.caCertificate()),
                new RunHistory(workerDir.resolve(stack.name()).resolve("runs.jsonl")), events, clock, syncWait, meters);
        RunScheduler scheduler = new RunScheduler(runner);
        camel.addService(scheduler, true, true);
        DeadLetters.ensureInstalled(camel, "outpost");
        camel.addRoutes(new WorkerRoutes(tenant, scheduler, runner, gateway, codec, firstRunAfter, runEvery));
        return new Installed(runner, gateway);
    }
}
