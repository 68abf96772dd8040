package io.outpost.cli;

import io.micrometer.core.instrument.MeterRegistry;
import io.outpost.brokerclient.CloseOnStop;
import io.outpost.content.Tenants;
import io.outpost.data.DataDirectory;
import io.outpost.events.OperatorEvents;
import io.outpost.gateway.outpost.OutpostGateway;
import io.outpost.gateway.upstream.Allowlist;
import io.outpost.gateway.upstream.TenantAllowlists;
import io.outpost.gateway.upstream.UpstreamGateway;
import io.outpost.gateway.upstream.image.ImageOrigins;
import io.outpost.gateway.upstream.module.ModuleOrigins;
import io.outpost.gateway.upstream.provider.ProviderOrigins;
import io.outpost.iacworker.GatewayClient;
import io.outpost.iacworker.IacWorker;
import io.outpost.iacworker.ProviderMirrorAccess;
import io.outpost.iacworker.Stack;
import io.outpost.iacworker.StackRunner;
import io.outpost.link.LinkAccounting;
import io.outpost.link.LinkTransport;
import io.outpost.link.TransferCoding;
import io.outpost.link.TransferTiming;
import io.outpost.link.trust.SiteKeys;
import io.outpost.link.trust.TrustedKeys;
import io.outpost.protocol.SyncMode;
import io.outpost.registry.RegistryClient;
import io.outpost.registry.RegistryCredentials;
import io.outpost.registry.RegistryEndpoint;
import io.outpost.registry.SignaturePolicy;
import io.outpost.txrxsim.link.LinkSettings;
import io.outpost.txrxsim.link.SimulatedLink;
import io.outpost.txrxsim.origin.DemoImageKey;
import io.outpost.txrxsim.origin.DemoImages;
import io.outpost.txrxsim.origin.DemoOrigin;
import io.outpost.txrxsim.origin.DemoModuleRegistry;
import io.outpost.txrxsim.origin.DemoProviderRegistry;
import io.outpost.txrxsim.origin.DemoReleaseRoute;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.eclipse.jgit.transport.URIish;

/**
 * Every role of Outpost in one Camel context (the minimum-footprint mode): demo origin (git, images,
 * provider registry), upstream
 * gateway, simulated link, outpost gateway and iac-worker. The context must already reach both sites'
 * brokers as the "outpost" and "upstream" components.
 */
public record OneMachine(Path data, DemoSettings settings, MeterRegistry registry, OperatorEvents events, Clock clock) {
    public static final String OUTPOST_NAME = "demo-outpost";
    public static final String CONFIG_REPO = "demo-config";
    public static final String STACK = "demo";
    /** The registry repositories the demo's upstream serves. */
    public static final String IMAGES = "demo/**";
    /** How often the demo's upstream looks at its origin for updates to push (a local repo: cheap). */
    public static final Duration PUSH_POLL = Duration.ofMillis(250);
    /** The providers the demo's upstream serves. */
    public static final String PROVIDERS = "registry.outpost.test/demo/*";
    /** The module allowlist the demo's upstream serves: the demo origin's modules. */
    public static final String MODULES = "registry.outpost.test/demo/**";

    /** What is running, for the demo's summary and for tests. */
    public record Running(DemoOrigin origin, DemoProviderRegistry providers, DemoModuleRegistry modules, UpstreamGateway upstream, OutpostGateway.Installed outpost,
                          StackRunner runner, GatewayClient gateway, LinkAccounting link) {
    }

    /** The outpost's local registry, the origin registry and where the upstream finds its login; null when the loop runs without images. */
    public record Registries(RegistryEndpoint outpost, RegistryEndpoint origin, RegistryCredentials originLogins) {
        /** With an origin that needs no login. */
        public Registries(RegistryEndpoint outpost, RegistryEndpoint origin) {
            this(outpost, origin, RegistryCredentials.none());
        }
    }

    /**
     * Both sites on one machine, under one data directory: each trusts the other's key before either
     * sends, as their operators would with {@code outpost keys trust}.
     */
    public static void exchangeKeys(Path data, String outpost) {
        SiteKeys upstreamKeys = SiteKeys.loadOrCreate(new DataDirectory(data).upstream().keys(), UpstreamGateway.SITE);
        SiteKeys outpostKeys = SiteKeys.loadOrCreate(new DataDirectory(data).outpost().keys(), outpost);
        TrustedKeys.of(outpostKeys).trust(upstreamKeys.publicKey());
        TrustedKeys.of(upstreamKeys).trust(outpostKeys.publicKey());
    }

    /** The demo origin's modules, as the upstream serves them. */
    public static ModuleOrigins demoModules(DemoModuleRegistry registry) {
        return new ModuleOrigins(List.of(MODULES), Map.of(DemoModuleRegistry.HOSTNAME, registry.url()));
    }

    public Running install(CamelContext camel) throws Exception {
        Registries registries = settings.registries();
        DataDirectory layout = new DataDirectory(data);
        DemoImages demoImages = registries == null ? null : new DemoImages(new RegistryClient(registries.origin(), registries.originLogins()),
                layout.originImages(), registries.originLogins().loginFor(registries.origin().address()), DemoImageKey.loadOrCreate(layout.originImages()));
        // the demo's images are signed at its origin, and both gateways hold to a policy that requires it
        SignaturePolicy signatures = demoImages == null ? SignaturePolicy.none()
                : new SignaturePolicy(Map.of(DemoImages.REPOSITORY, List.of(demoImages.key().publicKey())));
        DemoOrigin origin = new DemoOrigin(layout.originGit().resolve(CONFIG_REPO + ".git"), demoImages, clock);
        origin.current();
        exchangeKeys(data, OUTPOST_NAME);
        DemoProviderRegistry providers = DemoProviderRegistry.start(layout.originProviders());
        camel.addService(new CloseOnStop(providers), true, true);
        DemoModuleRegistry modules = DemoModuleRegistry.start(layout.originModules());
        camel.addService(new CloseOnStop(modules), true, true);
        Duration roundTrip = settings.link().delay().multipliedBy(2);
        TransferTiming timing = TransferTiming.forRoundTrip(roundTrip);
        // the simulated link's own settings are what an operator would know of a real one
        TransferCoding coding = new TransferCoding(settings.link().faults().loss(), settings.link().bytesPerSecond());
        String tenant = settings.workerTenant();
        UpstreamGateway upstream = UpstreamGateway.builder(OUTPOST_NAME, layout.upstream())
                .repos(new Allowlist(Map.of(CONFIG_REPO, new URIish(origin.dir().toUri().toURL()))))
                .images(registries == null ? ImageOrigins.none() : new ImageOrigins(Map.of(IMAGES, registries.origin()), registries.originLogins()).requiring(signatures))
                .providers(new ProviderOrigins(List.of(PROVIDERS), Map.of(DemoProviderRegistry.SOURCE.hostname(), providers.url())))
                .modules(demoModules(modules))
                .tenants(Tenants.OUTPOST.equals(tenant) ? TenantAllowlists.none()
                        : new TenantAllowlists(Map.of(tenant, new TenantAllowlists.Grant(List.of(CONFIG_REPO), List.of(IMAGES)))))
                .timing(timing).coding(coding).pollEvery(PUSH_POLL).meters(registry).clock(clock).build();
        upstream.install(camel);
        LinkAccounting link = (settings.transport() != null ? settings.transport() : new SimulatedLink(OUTPOST_NAME, layout, settings.link(), registry, clock)).install(camel);
        OutpostGateway.Installed gateway = OutpostGateway.builder(OUTPOST_NAME, layout.outpost())
                .localRegistry(registries == null ? null : registries.outpost()).signatures(signatures)
                .timing(timing).coding(coding).resendAfter(roundTrip.multipliedBy(3).plusSeconds(5))
                .subscriptions(settings.mode() == SyncMode.PUSH ? List.of(OutpostGateway.subscription(tenant, CONFIG_REPO)) : List.of())
                .tenants(settings.tenants()).events(events).meters(registry).clock(clock).build().install(camel);
        IacWorker.Installed worker = IacWorker.builder(layout.outpost(), new Stack(STACK, CONFIG_REPO, DemoOrigin.BRANCH),
                        new ProviderMirrorAccess(gateway.providerMirror(), gateway.caCertificate()), settings.terraform())
                .outpost(OUTPOST_NAME).tenant(tenant).localRegistry(registries == null ? null : registries.outpost()).mode(settings.mode())
                .firstRunAfter(settings.firstRunAfter()).runEvery(settings.runEvery()).syncWait(settings.syncWait())
                .variables(settings.container() == null ? Map.of() : settings.container().variables())
                .events(events).meters(registry).clock(clock).build().install(camel);
        if (settings.releaseEvery() != null) {
            camel.addRoutes(new DemoReleaseRoute(origin, settings.releaseEvery(), events));
        }
        return new Running(origin, providers, modules, upstream, gateway, worker.runner(), worker.gateway(), link);
    }

    /**
     * @param releaseEvery how often the demo origin publishes; null for never (tests publish themselves)
     * @param firstRunAfter when the worker's first scheduled run starts
     * @param syncWait how long a worker run waits for the link before it ends as pending
     * @param registries null to run without images
     * @param mode whether the outpost asks for updates or upstream pushes them (then upstream looks at the origin every second)
     * @param tenants the teams sharing the outpost: the worker works in the first one's namespace, to which alone the
     *                upstream grants the demo's repo and images; empty for the outpost's own namespace only
     * @param transport how the link crosses; null for the link simulator with {@code link}'s settings
     * @param container what runs each release's image at the outpost; null to record its digest only
     */
    public record DemoSettings(LinkSettings link, Duration releaseEvery, Duration firstRunAfter, Duration runEvery, Duration syncWait,
                               Path terraform, Registries registries, SyncMode mode, List<String> tenants, LinkTransport transport,
                               DemoContainer container) {
        public DemoSettings {
            tenants = List.copyOf(tenants);
        }

        public DemoSettings(LinkSettings link, Duration releaseEvery, Duration firstRunAfter, Duration runEvery, Duration syncWait,
                            Path terraform, Registries registries, SyncMode mode, List<String> tenants) {
            this(link, releaseEvery, firstRunAfter, runEvery, syncWait, terraform, registries, mode, tenants, null, null);
        }

        public DemoSettings(LinkSettings link, Duration releaseEvery, Duration firstRunAfter, Duration runEvery, Duration syncWait,
                            Path terraform, Registries registries, SyncMode mode) {
            this(link, releaseEvery, firstRunAfter, runEvery, syncWait, terraform, registries, mode, List.of());
        }

        public DemoSettings(LinkSettings link, Duration releaseEvery, Duration firstRunAfter, Duration runEvery, Duration syncWait,
                            Path terraform, Registries registries) {
            this(link, releaseEvery, firstRunAfter, runEvery, syncWait, terraform, registries, SyncMode.PULL);
        }

        public DemoSettings withTenants(List<String> teams) {
            return new DemoSettings(link, releaseEvery, firstRunAfter, runEvery, syncWait, terraform, registries, mode, teams, transport, container);
        }

        /** The same loop over {@code other} instead of the link simulator; {@link #link} then only says the round trip the timers expect. */
        public DemoSettings over(LinkTransport other) {
            return new DemoSettings(link, releaseEvery, firstRunAfter, runEvery, syncWait, terraform, registries, mode, tenants, other, container);
        }

        /** The same loop, running each release's image with {@code engine} (null: digests only). */
        public DemoSettings runningWith(DemoContainer engine) {
            return new DemoSettings(link, releaseEvery, firstRunAfter, runEvery, syncWait, terraform, registries, mode, tenants, transport, engine);
        }

        /** The namespace the demo's worker works in. */
        public String workerTenant() {
            return tenants.isEmpty() ? Tenants.OUTPOST : tenants.get(0);
        }
    }
}
