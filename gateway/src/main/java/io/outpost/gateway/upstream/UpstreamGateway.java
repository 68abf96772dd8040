package io.outpost.gateway.upstream;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.outpost.data.SiteData;
import io.outpost.gateway.media.ArchiveWriter;
import io.outpost.gateway.media.Inventory;
import io.outpost.gateway.upstream.git.OriginMirrors;
import io.outpost.gateway.upstream.git.RequirementsAhead;
import io.outpost.gateway.upstream.git.UpstreamGitSync;
import io.outpost.gateway.upstream.image.ImageOrigins;
import io.outpost.gateway.upstream.image.UpstreamImagePull;
import io.outpost.gateway.upstream.module.ModuleOrigins;
import io.outpost.gateway.upstream.module.UpstreamModulePull;
import io.outpost.gateway.upstream.provider.ProviderOrigins;
import io.outpost.gateway.upstream.provider.UpstreamProviderPull;
import io.outpost.gateway.upstream.push.Subscriptions;
import io.outpost.gateway.upstream.push.UpstreamPush;
import io.outpost.gateway.upstream.push.UpstreamPushRoute;
import io.outpost.content.Names;
import io.outpost.gateway.upstream.fleet.Fleet;
import io.outpost.gateway.upstream.fleet.FleetMember;
import io.outpost.gateway.upstream.fleet.FleetStatus;
import io.outpost.gateway.upstream.fleet.FleetWatchRoute;
import io.outpost.gateway.upstream.fleet.OutpostFolders;
import io.outpost.gateway.upstream.fleet.ServedFleet;
import io.outpost.gateway.upstream.fleet.ServedOutpost;
import io.outpost.link.DeferredDeliveriesRoute;
import io.outpost.link.HeardFrom;
import io.outpost.link.LinkInboundRoute;
import io.outpost.link.LinkInbox;
import io.outpost.link.Outbox;
import io.outpost.link.SiteLink;
import io.outpost.link.TransferCheckpointRoute;
import io.outpost.link.TransferCoding;
import io.outpost.link.TransferTiming;
import io.outpost.link.trust.SiteKeys;
import io.outpost.protocol.Envelope;
import io.outpost.protocol.EnvelopeCodec;
import io.outpost.protocol.GitSync;
import io.outpost.protocol.MessageTypes;
import io.outpost.protocol.Messages;
import io.outpost.protocol.transfer.Chunk;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;

/**
 * The upstream gateway: answers the requests of the outposts of its fleet from the git, image, provider and module registry
 * origins it is allowed to serve, each outpost within its own grants, over its own end of the link, from its own state
 * under {@code DATA/upstream/outposts/<outpost>/}; what it fetches from origins (mirrors, the {@link OriginCache}) is the
 * fleet's, fetched once.
 *
 * @param outpost the outpost named when the gateway starts ({@code --outpost}), served with everything it serves and
 *                {@code tenants}, beside the outposts of the fleet's files ({@link Fleet}); null for those only
 * @param data the upstream site's data
 * @param tenants what each tenant of {@code outpost} may have, within the allowlist and image origins
 * @param pollEvery how often subscribed origins are looked at for updates to push
 * @param originCacheBytes how much the origin cache holds at most
 * @param atOnce how many outposts' messages it takes at once (each outpost's in turn)
 * @see #builder
 */
public record UpstreamGateway(String outpost, SiteData data, Allowlist allowlist, ImageOrigins imageOrigins, ProviderOrigins providerOrigins,
                              ModuleOrigins moduleOrigins, TenantAllowlists tenants, int chunkSize, TransferTiming timing, TransferCoding coding, Duration pollEvery,
                              long originCacheBytes, int atOnce, MeterRegistry meters, Clock clock) {

    /** How often subscribed origins are looked at unless the operator says otherwise ({@code --poll-every}). */
    public static final Duration DEFAULT_POLL_EVERY = Duration.ofSeconds(30);
    /** How much the origin cache holds unless the operator says otherwise ({@code --origin-cache}, whose help says 20GiB). */
    public static final long DEFAULT_ORIGIN_CACHE_BYTES = 20L << 30;
    /** How many outposts' messages the gateway takes at once unless told otherwise: each outpost's in turn. */
    public static final int FLEET_AT_ONCE = 4;
    /**
     * How many outposts a poll pushes to at once: a push mostly waits for the broker to keep what it sends, and the broker
     * keeps what several send at once in one write.
     */
    public static final int PUSHES_AT_ONCE = 64;
    /** How soon an outpost added, suspended or removed is served so. */
    public static final Duration FLEET_READ_EVERY = Duration.ofSeconds(2);

    /** An upstream gateway serving {@code outpost} (null for the fleet's files only) from {@code data}; it serves nothing until given its allowlists. */
    public static Builder builder(String outpost, SiteData data) {
        return new Builder(outpost, data);
    }

    /** The settings of an upstream gateway by name, each with its default. */
    public static final class Builder {
        private final String outpost;
        private final SiteData data;
        private Allowlist allowlist = new Allowlist(Map.of());
        private ImageOrigins imageOrigins = ImageOrigins.none();
        private ProviderOrigins providerOrigins = ProviderOrigins.none();
        private ModuleOrigins moduleOrigins = ModuleOrigins.none();
        private TenantAllowlists tenants = TenantAllowlists.none();
        private int chunkSize = Chunk.SIZE;
        private TransferTiming timing = TransferTiming.forRoundTrip(TransferTiming.DEFAULT_ROUND_TRIP);
        private TransferCoding coding = TransferCoding.MEASURED;
        private Duration pollEvery = DEFAULT_POLL_EVERY;
        private long originCacheBytes = DEFAULT_ORIGIN_CACHE_BYTES;
        private int atOnce = FLEET_AT_ONCE;
        private MeterRegistry meters = new SimpleMeterRegistry();
        private Clock clock = Clock.systemUTC();

        private Builder(String outpost, SiteData data) {
            this.outpost = outpost == null ? null : Names.requireOutpost(outpost);
            this.data = data;
        }

        /** The git repos served, by name. */
        public Builder repos(Allowlist allowlist) {
            this.allowlist = allowlist;
            return this;
        }

        public Builder images(ImageOrigins origins) {
            this.imageOrigins = origins;
            return this;
        }

        public Builder providers(ProviderOrigins origins) {
            this.providerOrigins = origins;
            return this;
        }

        /** The Terraform modules served; none by default. */
        public Builder modules(ModuleOrigins origins) {
            this.moduleOrigins = origins;
            return this;
        }

        public Builder tenants(TenantAllowlists tenants) {
            this.tenants = tenants;
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

        public Builder pollEvery(Duration pollEvery) {
            this.pollEvery = pollEvery;
            return this;
        }

        public Builder originCacheBytes(long bytes) {
            this.originCacheBytes = bytes;
            return this;
        }

        /** How many outposts' messages it takes at once (default {@link #FLEET_AT_ONCE}). */
        public Builder atOnce(int outposts) {
            this.atOnce = outposts;
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

        public UpstreamGateway build() {
            return new UpstreamGateway(outpost, data, allowlist, imageOrigins, providerOrigins, moduleOrigins, tenants, chunkSize, timing, coding, pollEvery,
                    originCacheBytes, atOnce, meters, clock);
        }
    }

    /** The name of the upstream site, which signs what it sends: outposts trust its key under this name. */
    public static final String SITE = "upstream";
    /** How long an archive's answers stay worth applying: removable media travel for weeks. */
    private static final Duration ARCHIVE_TTL = Duration.ofDays(90);

    /** What the whole fleet's answers take from the origins: fetched once, whichever outpost asked. */
    private record Origins(OriginMirrors mirrors, OriginMirrors moduleMirrors, OriginCache cache, Spool spool) {
    }

    /** The flows that answer one outpost's requests, sending through one outbox. */
    private record Answering(UpstreamGitSync git, UpstreamImagePull images, UpstreamProviderPull providers, UpstreamModulePull modules, Refusals refusals) {
    }

    private Origins origins() {
        return new Origins(new OriginMirrors(data.mirrors(), clock), new OriginMirrors(data.moduleMirrors(), clock),
                new OriginCache(data.originCache(), originCacheBytes, this::blobsHeldEverywhere, clock), new Spool(data.spool()));
    }

    /** The image blobs every outpost of the fleet holds in its own namespace, as its ledger has it: what the origin cache evicts first. */
    private Set<String> blobsHeldEverywhere() {
        Set<String> everywhere = null;
        for (FleetMember member : members()) {
            Set<String> held = new HoldingsLedger(data.outpost(member.outpost()).ledgers()).blobs();
            if (everywhere == null) {
                everywhere = new HashSet<>(held);
            } else {
                everywhere.retainAll(held);
            }
        }
        return everywhere == null ? Set.of() : everywhere;
    }

    /** @param own the outpost's folder, @param allowed what its namespaces may have */
    private Answering answering(Outbox outbox, SiteData own, TenantAllowlists allowed, Origins origins) {
        HoldingsLedger ledger = new HoldingsLedger(own.ledgers());
        UpstreamImagePull imagePull = new UpstreamImagePull(imageOrigins, allowed, ledger, outbox, origins.spool(), origins.cache(), clock);
        UpstreamProviderPull providerPull = new UpstreamProviderPull(providerOrigins, outbox, origins.spool(), origins.cache(), clock);
        UpstreamModulePull modulePull = new UpstreamModulePull(moduleOrigins, origins.moduleMirrors(), outbox, origins.spool(), clock);
        UpstreamGitSync gitSync = new UpstreamGitSync(allowlist, allowed, origins.mirrors(), ledger, outbox, origins.spool(),
                new RequirementsAhead(origins.mirrors(), imageOrigins, providerOrigins, imagePull, providerPull, modulePull), clock);
        return new Answering(gitSync, imagePull, providerPull, modulePull, new Refusals(outbox, clock));
    }

    /** The outposts to serve: the fleet's files, and the one named at start unless a file names it too. */
    public List<FleetMember> members() {
        return members(new Fleet(data));
    }

    /** As {@link #members()}, from {@code files}: one reader, so a damaged file is said once, not at every read. */
    private List<FleetMember> members(Fleet files) {
        List<FleetMember> members = new ArrayList<>(files.members());
        if (outpost != null && members.stream().noneMatch(member -> member.outpost().equals(outpost))) {
            members.add(new FleetMember(outpost, FleetMember.EVERYTHING, tenants.grants(), false));
        }
        return members;
    }

    /** Starts serving the fleet; returns what it serves, which follows the fleet's files from then on. */
    public ServedFleet install(CamelContext camel) throws Exception {
        SiteKeys keys = SiteKeys.loadOrCreate(data.keys(), SITE);
        if (outpost != null) {
            OutpostFolders.adopt(data, outpost);
        }
        Origins origins = origins();
        Fleet files = new Fleet(data);
        ServedFleet fleet = new ServedFleet(() -> members(files), member -> serve(camel, keys, origins, member),
                camel.getExecutorServiceManager().newFixedThreadPool(this, "upstream-fleet-push", PUSHES_AT_ONCE), meters);
        fleet.sync();
        camel.addRoutes(new LinkInboundRoute(SITE, fleet.inbox()::accept, atOnce));
        camel.addRoutes(new DeferredDeliveriesRoute(SITE, fleet::retryDeferred));
        camel.addRoutes(new TransferCheckpointRoute(SITE, fleet::checkpoint, timing));
        camel.addRoutes(new UpstreamPushRoute(() -> fleet.poll(clock.instant()), pollEvery));
        camel.addRoutes(new FleetWatchRoute(fleet, FLEET_READ_EVERY));
        Gauge.builder("outpost.fleet.outposts", fleet, served -> served.outposts().size()).description("Outposts this upstream serves now")
                .register(meters);
        FunctionCounter.builder("outpost.origin.fetches", origins.mirrors(), OriginMirrors::fetches)
                .description("Fetches of git repos from their origins, one per repo and poll for the whole fleet").tag("kind", "git").register(meters);
        FunctionCounter.builder("outpost.origin.fetches", origins.cache(), OriginCache::downloads)
                .description("Downloads of image blobs and provider packages from their origins, one per digest for the whole fleet while cached")
                .tag("kind", "content").register(meters);
        FunctionCounter.builder("outpost.origin.fetched.bytes", origins.cache(), OriginCache::downloadedBytes)
                .description("Bytes of image blobs and provider packages downloaded from their origins").register(meters);
        FunctionCounter.builder("outpost.origin.cache.hits", origins.cache(), OriginCache::hits)
                .description("Image blobs and provider packages an answer took from the origin cache, with no download").register(meters);
        return fleet;
    }

    private ServedOutpost serve(CamelContext camel, SiteKeys keys, Origins origins, FleetMember member) throws Exception {
        SiteData own = data.outpost(member.outpost());
        SiteLink link = new SiteLink(camel, SITE, member.outpost(), own, keys, member.outpost(), chunkSize, timing, coding, meters, clock);
        try {
            return serving(origins, member, own, link);
        } catch (Exception | Error e) {
            // serving it is tried again in a few seconds: a link left half made would keep its meters, and the next would find them taken
            link.close();
            throw e;
        }
    }

    /** The answering flows and pushes of {@code member} over {@code link}. */
    private ServedOutpost serving(Origins origins, FleetMember member, SiteData own, SiteLink link) throws Exception {
        TenantAllowlists allowed = member.allowlists();
        Answering answering = answering(link.outbox(), own, allowed, origins);
        UpstreamPush push = new UpstreamPush(member.outpost(), new Subscriptions(own.subscriptions()), allowlist, allowed, origins.mirrors(),
                answering.git(), timing.senderQuiet(), link.outbox()::transfersInFlight, clock);
        LinkInbox inbox = link.open(new UpstreamRequests(answering.git(), answering.images(), answering.providers(), answering.modules(), push,
                answering.refusals(), clock).byType());
        measure(member.outpost(), origins.mirrors());
        return new ServedOutpost(member, link, inbox, push);
    }

    /** The fleet's view of one outpost in {@code /metrics}, read from its folder at each scrape; removed with its link. */
    private void measure(String outpost, OriginMirrors mirrors) {
        SiteData own = data.outpost(outpost);
        Gauge.builder("outpost.fleet.last.heard.seconds", own, folder -> HeardFrom.lastHeard(folder.lastHeard())
                        .map(at -> Duration.between(at, clock.instant()).toMillis() / 1000.0).orElse(Double.NaN))
                .description("Seconds since the upstream last accepted a frame from the outpost (to within 5 s; none yet: NaN)")
                .tag("site", SITE).tag("outpost", outpost).strongReference(true).register(meters);
        Gauge.builder("outpost.fleet.repos.behind", own, folder -> FleetStatus.behind(FleetStatus.subscriptions(data, mirrors, outpost)))
                .description("Repos the outpost subscribed to whose latest commits (as the upstream's mirror has them) it has not acknowledged holding")
                .tag("site", SITE).tag("outpost", outpost).strongReference(true).register(meters);
        Gauge.builder("outpost.fleet.bytes.kept", own, FleetStatus::bytesKept)
                .description("Bytes the upstream keeps for transfers to the outpost until it reports them received")
                .tag("site", SITE).tag("outpost", outpost).strongReference(true).register(meters);
    }

    /** What an export wrote: the archive, its size, and the messages in it by type, in order. */
    public record Exported(Path archive, long bytes, List<String> messages) {
    }

    /**
     * Removable media: answers the sync requests of an outpost's inventory into a signed archive at
     * {@code archive} instead of onto the link — the same package a sync would get, verified the same way.
     */
    public Exported export(Inventory inventory, Path archive) {
        FleetMember member = members().stream().filter(each -> each.outpost().equals(inventory.outpost())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("the inventory is of outpost '" + inventory.outpost() + "', which this upstream does not"
                        + " serve (it serves " + members().stream().map(FleetMember::outpost).toList() + "; add it with 'outpost fleet add')"));
        SiteKeys keys = SiteKeys.loadOrCreate(data.keys(), SITE);
        try (ArchiveWriter writer = new ArchiveWriter(archive, member.outpost(), keys, new EnvelopeCodec(chunkSize), clock)) {
            Answering answering = answering(writer, data.outpost(member.outpost()), member.allowlists(), origins());
            for (GitSync sync : inventory.syncs()) {
                answering.git().answer(Envelope.request(MessageTypes.GIT_SYNC, member.outpost(), inventory.tenant(), Messages.headers(sync), clock.instant(),
                        ARCHIVE_TTL));
            }
            long bytes = writer.finish();
            return new Exported(archive, bytes, writer.types());
        }
    }
}
