package io.outpost.gateway.outpost;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.outpost.broker.InternalCa;
import io.outpost.brokerclient.CloseOnStop;
import io.outpost.content.Names;
import io.outpost.content.Tenants;
import io.outpost.data.SiteData;
import io.outpost.events.OperatorEvents;
import io.outpost.gateway.media.ArchiveImport;
import io.outpost.gateway.media.ArchiveReader;
import io.outpost.gateway.outpost.git.GitReaders;
import io.outpost.gateway.outpost.git.GitServer;
import io.outpost.gateway.outpost.git.LocalRemotes;
import io.outpost.gateway.outpost.image.KeptIndexes;
import io.outpost.gateway.outpost.image.RegistryFront;
import io.outpost.gateway.outpost.module.ModuleMirror;
import io.outpost.gateway.outpost.module.ModuleRegistryHandler;
import io.outpost.gateway.outpost.module.OutpostModulePull;
import io.outpost.gateway.outpost.provider.OutpostProviderPull;
import io.outpost.gateway.outpost.provider.ProviderMirror;
import io.outpost.gateway.outpost.provider.ProviderMirrorServer;
import io.outpost.gateway.outpost.push.SubscribeRoute;
import io.outpost.gateway.upstream.UpstreamGateway;
import io.outpost.link.LinkInbox;
import io.outpost.link.SiteLink;
import io.outpost.link.TransferCoding;
import io.outpost.link.TransferTiming;
import io.outpost.link.trust.SiteKeys;
import io.outpost.link.trust.TrustedKeys;
import io.outpost.protocol.Envelope;
import io.outpost.protocol.EnvelopeCodec;
import io.outpost.protocol.transfer.Chunk;
import io.outpost.protocol.transfer.Delivery;
import io.outpost.registry.RegistryClient;
import io.outpost.registry.RegistryEndpoint;
import io.outpost.registry.RegistryNamespace;
import io.outpost.registry.SignaturePolicy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;

/**
 * The outpost gateway: takes workers' requests to the link and applies the answers to the local git
 * remote and the local registry, then tells workers; serves the provider mirror.
 *
 * @param data the outpost site's data
 * @param localRegistry the outpost's registry, or null when it has none (image requests then fail)
 * @param registryFront where the {@link RegistryFront} that runtimes pull from listens (port 0 for a free one)
 * @param signatures which images must arrive signed ({@code --image-policy}), checked before their manifests are put
 * @param resendAfter how long an unanswered request blocks identical ones before it may be sent again
 * @param requestTtl how long a request stays worth answering
 * @param providerMirrorPort port on 127.0.0.1 of the HTTPS provider mirror; 0 for a free one
 * @param gitListen where the {@link GitServer} listens (port 0 for a free one)
 * @param meters where the outpost's requests, transfers and reused image bytes are measured
 * @param subscriptions repos whose updates upstream pushes unasked (push mode), besides those an operator added, as REPO for the
 *                      outpost's own namespace or TENANT/REPO for a tenant's ({@link #subscription}); empty to pull
 * @param tenants the teams sharing this outpost, each a namespace of its own ({@link OutpostNamespace}); empty for none
 * @see #builder
 */
public record OutpostGateway(String outpost, SiteData data, RegistryEndpoint localRegistry, SignaturePolicy signatures, InetSocketAddress registryFront,
                             int chunkSize, TransferTiming timing, TransferCoding coding,
                             Duration resendAfter, Duration requestTtl, int providerMirrorPort, InetSocketAddress gitListen, List<String> subscriptions, List<String> tenants,
                             OperatorEvents events, MeterRegistry meters, Clock clock) {

    /** How long an unanswered request blocks identical ones unless the operator says otherwise ({@code --resend-after}). */
    public static final Duration DEFAULT_RESEND_AFTER = Duration.ofMinutes(5);

    /** An outpost gateway named {@code outpost} keeping its state in {@code data}; every other setting has its default until set. */
    public static Builder builder(String outpost, SiteData data) {
        return new Builder(outpost, data);
    }

    /** The settings of an outpost gateway by name, each with its default. */
    public static final class Builder {
        private final String outpost;
        private final SiteData data;
        private RegistryEndpoint localRegistry;
        private SignaturePolicy signatures = SignaturePolicy.none();
        private InetSocketAddress registryFront = new InetSocketAddress("127.0.0.1", 0);
        private int chunkSize = Chunk.SIZE;
        private TransferTiming timing = TransferTiming.forRoundTrip(TransferTiming.DEFAULT_ROUND_TRIP);
        private TransferCoding coding = TransferCoding.MEASURED;
        private Duration resendAfter = DEFAULT_RESEND_AFTER;
        private Duration requestTtl = Envelope.DEFAULT_REQUEST_TTL;
        private int providerMirrorPort;
        private InetSocketAddress gitListen = new InetSocketAddress("127.0.0.1", 0);
        private List<String> subscriptions = List.of();
        private List<String> tenants = List.of();
        private OperatorEvents events = OperatorEvents.none();
        private MeterRegistry meters = new SimpleMeterRegistry();
        private Clock clock = Clock.systemUTC();

        private Builder(String outpost, SiteData data) {
            this.outpost = outpost;
            this.data = data;
        }

        /** The outpost's registry; none by default (image requests then fail). */
        public Builder localRegistry(RegistryEndpoint registry) {
            this.localRegistry = registry;
            return this;
        }

        public Builder signatures(SignaturePolicy policy) {
            this.signatures = policy;
            return this;
        }

        public Builder registryFront(InetSocketAddress listen) {
            this.registryFront = listen;
            return this;
        }

        public Builder chunkSize(int bytes) {
            this.chunkSize = bytes;
            return this;
        }

        public Builder timing(TransferTiming timing) {
            this.timing = timing;
            return this;
        }

        /** What the operator expects of the link's loss and bandwidth, for erasure coding (default: coded for the loss measured). */
        public Builder coding(TransferCoding coding) {
            this.coding = coding;
            return this;
        }

        public Builder resendAfter(Duration resendAfter) {
            this.resendAfter = resendAfter;
            return this;
        }

        public Builder requestTtl(Duration requestTtl) {
            this.requestTtl = requestTtl;
            return this;
        }

        /** The provider mirror's port on 127.0.0.1; a free one by default. */
        public Builder providerMirrorPort(int port) {
            this.providerMirrorPort = port;
            return this;
        }

        /** Where the git server listens; a free port on 127.0.0.1 by default. */
        public Builder gitListen(InetSocketAddress listen) {
            this.gitListen = listen;
            return this;
        }

        public Builder subscriptions(List<String> subscriptions) {
            this.subscriptions = subscriptions;
            return this;
        }

        public Builder tenants(List<String> tenants) {
            this.tenants = tenants;
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

        public OutpostGateway build() {
            return new OutpostGateway(outpost, data, localRegistry, signatures, registryFront, chunkSize, timing, coding, resendAfter, requestTtl, providerMirrorPort, gitListen, subscriptions, tenants,
                    events, meters, clock);
        }
    }

    public OutpostGateway {
        tenants = List.copyOf(tenants);
        tenants.forEach(Tenants::requireTenant);
        subscriptions = List.copyOf(subscriptions);
        for (String subscription : subscriptions) {
            String tenant = tenantOf(subscription);
            if (!Tenants.OUTPOST.equals(tenant) && !tenants.contains(tenant)) {
                throw new IllegalArgumentException("subscription '" + subscription + "' names tenant '" + tenant + "', which is not one of " + tenants);
            }
            Names.requireRepo(repoOf(subscription));
        }
    }

    /** How a configured subscription names {@code repo} of {@code tenant}: REPO, or TENANT/REPO (repo names have no '/'). */
    public static String subscription(String tenant, String repo) {
        return Tenants.OUTPOST.equals(tenant) ? repo : tenant + "/" + repo;
    }

    private static String tenantOf(String subscription) {
        return subscription.contains("/") ? subscription.substring(0, subscription.indexOf('/')) : Tenants.OUTPOST;
    }

    private static String repoOf(String subscription) {
        return subscription.substring(subscription.indexOf('/') + 1);
    }

    private List<String> subscriptionsOf(String tenant) {
        return subscriptions.stream().filter(subscription -> tenantOf(subscription).equals(tenant)).map(OutpostGateway::repoOf).toList();
    }

    /**
     * Where terraform finds the provider mirror, and the certificate it must trust for it and the git
     * server; where git clients find the git server; the outpost's keys; and the import of archives from removable media.
     */
    /** @param registryFront host:port of the registry front runtimes pull from, null without a local registry */
    public record Installed(URI providerMirror, Path caCertificate, URI gitServer, String registryFront, SiteKeys keys, ArchiveImport archives) {
        /** Where git clients clone {@code repo} of {@code tenant}'s namespace. */
        public URI gitUrl(String tenant, String repo) {
            return gitServer.resolve(GitServer.pathOf(tenant, repo));
        }
    }

    public Installed install(CamelContext camel) throws Exception {
        SiteKeys keys = SiteKeys.loadOrCreate(data.keys(), outpost);
        SiteLink link = new SiteLink(camel, "outpost", outpost, data, keys, UpstreamGateway.SITE, chunkSize, timing, coding, meters, clock);
        EnvelopeCodec codec = link.codec();
        ProducerTemplate producer = camel.createProducerTemplate();
        Map<String, OutpostNamespace> namespaces = new LinkedHashMap<>();
        // providers are one mirror for every namespace, so what becomes of one is told to all
        ReadyPublisher everyone = event -> namespaces.values().forEach(namespace -> namespace.publish(event));
        InFlightRequests ownInFlight = new InFlightRequests(clock, resendAfter, meters, Tenants.OUTPOST);
        OutpostRequests shared = new OutpostRequests(outpost, Tenants.OUTPOST, ownInFlight, link.outbox(), everyone, events, meters, clock, requestTtl);
        Optional<RegistryClient> registry = Optional.ofNullable(localRegistry).map(RegistryClient::new);
        ProviderMirror providers = new ProviderMirror(data.providers());
        ModuleMirror modules = new ModuleMirror(data, clock);
        modules.writeGitConfig();
        // several gateways may share the outpost's broker as competing consumers; each tells its ready events apart
        String gateway = UUID.randomUUID().toString();
        namespaces.put(Tenants.OUTPOST, new OutpostNamespace(Tenants.OUTPOST, gateway, data, registry, signatures, tenants, ownInFlight, shared, providers, modules, producer, codec,
                subscriptionsOf(Tenants.OUTPOST), everyone, link.deferred()));
        for (String tenant : tenants) {
            namespaces.put(tenant, new OutpostNamespace(tenant, gateway, data, registry, signatures, tenants, new InFlightRequests(clock, resendAfter, meters, tenant), shared,
                    providers, modules, producer, codec, subscriptionsOf(tenant), everyone, link.deferred()));
        }
        Runnable mirrorsStored = () -> namespaces.values().forEach(namespace -> namespace.git().mirrorsStored());
        OutpostProviderPull providerPull = new OutpostProviderPull(providers, shared, mirrorsStored);
        OutpostModulePull modulePull = new OutpostModulePull(modules, shared, mirrorsStored);
        Map<String, Consumer<Delivery>> answers = new OutpostAnswers(namespaces, providerPull, modulePull, registry.isPresent()).byType();
        LinkInbox inbox = link.receive(answers);
        ArchiveImport archives = new ArchiveImport(new ArchiveReader(outpost, TrustedKeys.of(keys), codec, answers.keySet()),
                data.imports(), inbox::deliver, events);
        for (OutpostNamespace namespace : namespaces.values()) {
            camel.addRoutes(new SubscribeRoute(namespace.tenant(), namespace.subscriptions(), resendAfter));
            camel.addRoutes(new OtherGatewaysRoute(namespace.tenant(), gateway, codec, namespace::learn));
            camel.addRoutes(new WorkerRequestRoute(namespace.tenant(), new WorkerRequests(codec, namespace, providerPull, modulePull,
                    Tenants.OUTPOST.equals(namespace.tenant()) ? Optional.of(archives) : Optional.empty())));
        }
        InternalCa ca = InternalCa.loadOrCreate(data.tls(), outpost, clock);
        ProviderMirrorServer mirror = ProviderMirrorServer.start(providers, ca, providerMirrorPort, providerPull::request,
                new ModuleRegistryHandler(modules, modulePull::request));
        camel.addService(new CloseOnStop(mirror), true, true);
        Map<String, LocalRemotes> remotes = new LinkedHashMap<>();
        namespaces.forEach((tenant, namespace) -> remotes.put(tenant, namespace.remotes()));
        GitReaders readers = GitReaders.loadOrCreate(data, tenants);
        GitServer git = GitServer.start(remotes, readers, gitListen, ca.serverContext(serverNames(gitListen)));
        camel.addService(new CloseOnStop(git), true, true);
        String front = null;
        if (localRegistry != null) {
            List<KeptIndexes> kept = new ArrayList<>();
            namespaces.keySet().forEach(tenant -> kept.add(new KeptIndexes(data.namespace(tenant).indexes())));
            RegistryFront started = RegistryFront.start(localRegistry, kept, (name, reference) -> pullThrough(namespaces, name, reference), readers,
                    tenants, registryFront, ca.serverContext(serverNames(registryFront)));
            camel.addService(new CloseOnStop(started), true, true);
            front = started.address();
        }
        return new Installed(mirror.url(), ca.certificateFile(), git.url(), front, keys, archives);
    }

    /** A runtime's pull of {@code name} (as the registry names it) the registry lacks, asked for in the namespace it belongs to. */
    private Optional<String> pullThrough(Map<String, OutpostNamespace> namespaces, String name, String reference) {
        String tenant = RegistryNamespace.tenantOf(name, this.tenants);
        OutpostNamespace namespace = namespaces.get(tenant);
        String repository = RegistryNamespace.of(tenant, this.tenants).own(name);
        try {
            Names.requireImageRepository(repository);
            Names.requireImageReference(reference);
        } catch (IllegalArgumentException notAnImage) {
            return Optional.empty();
        }
        // a client looking for an image's signatures or referrers by their tags: they come with the image, not on their own
        if (reference.matches("sha256-[0-9a-f]{64}(\\..+)?")) {
            return Optional.empty();
        }
        return namespace.images().map(images -> images.pullThrough(repository, reference));
    }

    /** The names a server listening on {@code listen} is reached by: its address, this machine's name, loopback. */
    private static List<String> serverNames(InetSocketAddress listen) {
        Set<String> names = new LinkedHashSet<>();
        if (listen.getAddress() != null && !listen.getAddress().isAnyLocalAddress()) {
            names.add(listen.getHostString());
        }
        try {
            names.add(InetAddress.getLocalHost().getHostName());
        } catch (UnknownHostException unnamed) {
            // loopback alone, then
        }
        names.add("127.0.0.1");
        names.add("localhost");
        return List.copyOf(names);
    }
}
