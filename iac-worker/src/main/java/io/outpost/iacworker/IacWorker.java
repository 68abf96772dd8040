package io.outpost.iacworker;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.outpost.brokerclient.DeadLetters;
import io.outpost.content.Names;
import io.outpost.content.Tenants;
import io.outpost.data.NamespaceData;
import io.outpost.data.SiteData;
import io.outpost.events.OperatorEvents;
import io.outpost.protocol.EnvelopeCodec;
import io.outpost.protocol.Ready;
import io.outpost.protocol.SyncMode;
import io.outpost.registry.RegistryClient;
import io.outpost.registry.RegistryEndpoint;
import io.outpost.registry.RegistryNamespace;
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
 * @param data the outpost site's data: the worker reads the local remote of its tenant's namespace and keeps its files there ({@link NamespaceData})
 * @param tenant whose namespace the worker works in: its requests, ready events, local remotes and registry repositories
 * @param localRegistry the outpost's registry, or null; its address (with the tenant's prefix) is the config's {@code var.outpost_registry}
 * @param firstRunAfter when the first scheduled run starts
 * @param syncWait how long a run waits for the link before it ends as pending
 * @param providerMirror where terraform installs providers from
 * @param mode PULL: each scheduled run asks for a sync; PUSH: upstream sends updates unasked, runs use what is local
 * @param meters where {@code outpost.worker.runs} is counted
 * @param variables input variables this outpost sets for the stack (which container engine runs it, where it listens, ...)
 * @see #builder
 */
public record IacWorker(SiteData data, Stack stack, String outpost, String tenant, RegistryEndpoint localRegistry, ProviderMirrorAccess providerMirror, SyncMode mode,
                        Duration firstRunAfter, Duration runEvery, Duration syncWait,
                        Path terraformBinary, Map<String, String> variables, OperatorEvents events, MeterRegistry meters, Clock clock) {

    public IacWorker {
        variables = Map.copyOf(variables);
        if (variables.containsKey(REGISTRY_VARIABLE)) {
            throw new IllegalArgumentException("var." + REGISTRY_VARIABLE + " is the worker's own: it names the local registry (--registry)");
        }
        variables.keySet().forEach(name -> {
            if (!name.matches("[A-Za-z_][A-Za-z0-9_-]*")) {
                throw new IllegalArgumentException("'" + name + "' is not a Terraform variable name (letters, digits, '_' and '-', not first a digit)");
            }
        });
    }

    /** How often a run starts unless the operator says otherwise ({@code --run-every}); a run waits as long for the link by default. */
    public static final Duration DEFAULT_RUN_EVERY = Duration.ofSeconds(30);

    /**
     * A worker keeping {@code stack} applied from the local sources in {@code data}, installing providers from
     * {@code providerMirror} and running {@code terraformBinary}; every other setting has its default until set.
     */
    public static Builder builder(SiteData data, Stack stack, ProviderMirrorAccess providerMirror, Path terraformBinary) {
        return new Builder(data, stack, providerMirror, terraformBinary);
    }

    /** The settings of a worker by name, each with its default. */
    public static final class Builder {
        private final SiteData data;
        private final Stack stack;
        private final ProviderMirrorAccess providerMirror;
        private final Path terraformBinary;
        private String outpost = Names.DEFAULT_OUTPOST;
        private String tenant = Tenants.OUTPOST;
        private RegistryEndpoint localRegistry;
        private SyncMode mode = SyncMode.PULL;
        private Duration firstRunAfter = Duration.ofSeconds(1);
        private Duration runEvery = DEFAULT_RUN_EVERY;
        private Duration syncWait;
        private Map<String, String> variables = Map.of();
        private OperatorEvents events = OperatorEvents.none();
        private MeterRegistry meters = new SimpleMeterRegistry();
        private Clock clock = Clock.systemUTC();

        private Builder(SiteData data, Stack stack, ProviderMirrorAccess providerMirror, Path terraformBinary) {
            this.data = data;
            this.stack = stack;
            this.providerMirror = providerMirror;
            this.terraformBinary = terraformBinary;
        }

        /** The outpost's name, sent with each request. */
        public Builder outpost(String outpost) {
            this.outpost = outpost;
            return this;
        }

        public Builder tenant(String tenant) {
            this.tenant = tenant;
            return this;
        }

        public Builder localRegistry(RegistryEndpoint registry) {
            this.localRegistry = registry;
            return this;
        }

        public Builder mode(SyncMode mode) {
            this.mode = mode;
            return this;
        }

        public Builder firstRunAfter(Duration firstRunAfter) {
            this.firstRunAfter = firstRunAfter;
            return this;
        }

        public Builder runEvery(Duration runEvery) {
            this.runEvery = runEvery;
            return this;
        }

        /** How long a run waits for the link before it ends as pending; the run interval by default. */
        public Builder syncWait(Duration syncWait) {
            this.syncWait = syncWait;
            return this;
        }

        /** Input variables this outpost sets for the stack, as {@code TF_VAR_name}; none by default. */
        public Builder variables(Map<String, String> variables) {
            this.variables = variables;
            return this;
        }

        public Builder events(OperatorEvents events) {
            this.events = events;
            return this;
        }

        public Builder meters(MeterRegistry meters) {
            this.meters = meters;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public IacWorker build() {
            return new IacWorker(data, stack, outpost, tenant, localRegistry, providerMirror, mode, firstRunAfter, runEvery,
                    syncWait == null ? runEvery : syncWait, terraformBinary, variables, events, meters, clock);
        }
    }

    public static final int MAX_MESSAGE_BYTES = 64 * 1024;
    /** The input variable through which configs name the local registry: {@code "${var.outpost_registry}/team/app@sha256:..."}. */
    public static final String REGISTRY_VARIABLE = "outpost_registry";

    /** The installed worker: its runner, and its client of the gateway. */
    public record Installed(StackRunner runner, GatewayClient gateway) {
    }

    public Installed install(CamelContext camel) throws Exception {
        NamespaceData own = data.namespace(tenant);
        Path cliConfig = own.terraformCliConfig();
        TerraformCli.writeCliConfig(cliConfig, providerMirror.url());
        EnvelopeCodec codec = new EnvelopeCodec(MAX_MESSAGE_BYTES);
        GatewayClient gateway = new GatewayClient(GatewayClient.RequestQueue.of(camel.createProducerTemplate(), tenant), codec, outpost, clock);
        RegistryClient registry = localRegistry == null ? null : new RegistryClient(localRegistry).within(RegistryNamespace.of(tenant, List.of()));
        GitSyncClient sync = mode == SyncMode.PUSH ? (repo, ref) -> CompletableFuture.completedFuture(
                new Ready(repo, Ready.Status.UNCHANGED, Map.of(), "push mode: upstream sends updates unasked")) : gateway;
        StackRunner runner = new StackRunner(stack, sync, gateway, gateway, gateway, registry,
                new ConfigCheckout(own.localRemote(stack.repo()), stack.ref(), own.checkout(stack.name())),
                new TerraformCli(terraformBinary, cliConfig, Duration.ofMinutes(30),
                        inputs(registry), providerMirror.caCertificate(),
                        ModuleMirrorAccess.of(providerMirror.url(), data)),
                new RunHistory(own.runs(stack.name())), events, clock, syncWait, meters);
        RunScheduler scheduler = new RunScheduler(runner);
        camel.addService(scheduler, true, true);
        DeadLetters.ensureInstalled(camel, "outpost");
        camel.addRoutes(new WorkerRoutes(tenant, scheduler, runner, gateway, codec, firstRunAfter, runEvery));
        return new Installed(runner, gateway);
    }

    /** The stack's input variables: this outpost's, and the local registry's address. */
    private Map<String, String> inputs(RegistryClient registry) {
        Map<String, String> inputs = new java.util.HashMap<>(variables);
        if (registry != null) {
            inputs.put(REGISTRY_VARIABLE, registry.address());
        }
        return inputs;
    }
}
