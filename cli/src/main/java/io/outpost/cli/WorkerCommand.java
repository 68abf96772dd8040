package io.outpost.cli;

import io.outpost.broker.InternalCa;
import io.outpost.brokerclient.BrokerRole;
import io.outpost.content.Tenants;
import io.outpost.data.DataDirectory;
import io.outpost.events.OperatorEvents;
import io.outpost.iacworker.IacWorker;
import io.outpost.iacworker.ProviderMirrorAccess;
import io.outpost.iacworker.Stack;
import io.outpost.protocol.SyncMode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The iac-worker alone, against the outpost broker and the outpost's local remote. */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Keep one Terraform stack applied from the outpost's local sources, running an update on a schedule.")
final class WorkerCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    OutpostBrokerOption broker;

    @Mixin
    OutpostNameOption outpost;

    @Option(names = "--tenant", defaultValue = "", description = {"The tenant whose namespace this worker works in: its request queue and ready topic,",
            "its local remotes (DATA/outpost/tenants/TENANT/git) and registry repositories (TENANT/...); connects as 'worker-TENANT'",
            "(default: the outpost's own)."})
    String tenant;

    @Option(names = "--stack", defaultValue = "demo", description = "Name of the stack (default: ${DEFAULT-VALUE}).")
    String stack;

    @Option(names = "--repo", defaultValue = "demo-config", description = "Config repo of the stack (default: ${DEFAULT-VALUE}).")
    String repo;

    @Option(names = "--ref", defaultValue = "refs/heads/main", description = "Ref of the config to apply (default: ${DEFAULT-VALUE}).")
    String ref;

    @Option(names = "--provider-mirror", defaultValue = "https://127.0.0.1:5758/",
            description = "The outpost gateway's provider mirror; terraform trusts only DATA/outpost/tls/ca.pem for it (default: ${DEFAULT-VALUE}).")
    URI providerMirror;

    @Option(names = "--mode", defaultValue = "pull", converter = Converters.SyncModeConverter.class,
            description = "pull: every run asks for a sync; push: the outpost gateway subscribed (--subscribe), runs use what is local (default: ${DEFAULT-VALUE}).")
    SyncMode mode;

    @Mixin
    RunOptions run;

    @Mixin
    LocalRegistryOption registry;

    @Mixin
    MetricsOption http;

    @Option(names = "--var", paramLabel = "NAME=VALUE", description = {"An input variable this outpost sets for the stack (TF_VAR_NAME), e.g.",
            "--var container_engine=podman; repeat for more. var.outpost_registry is set from --registry."})
    Map<String, String> variables = new java.util.LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        Path data = common.data.toAbsolutePath().normalize();
        Path terraformBinary = run.terraform();
        Clock clock = Clock.systemDefaultZone();
        Tenants.requireTenantOrOutpost(tenant);
        System.out.println("worker: stack " + stack + " from " + repo + " " + ref + " (" + Tenants.describe(tenant) + "), every "
                + run.runEvery.toSeconds() + "s, broker " + broker.url);
        MetricsEndpoint endpoint = http.start(8082);
        new CamelProcess("worker", Map.of("outpost", broker.access(BrokerRole.workerOf(tenant), data)), null).run(
                camel -> IacWorker.builder(new DataDirectory(data).outpost(), new Stack(stack, repo, ref),
                                new ProviderMirrorAccess(providerMirror, new DataDirectory(data).outpost().tls().resolve(InternalCa.CERTIFICATE_FILE)), terraformBinary)
                        .outpost(outpost.name).tenant(tenant).localRegistry(registry.endpoint()).mode(mode).runEvery(run.runEvery).syncWait(run.syncWait()).variables(variables)
                        .events(OperatorEvents.printingTo(System.out, clock)).meters(http.registry).clock(clock).build().install(camel),
                endpoint::close);
        return 0;
    }
}
