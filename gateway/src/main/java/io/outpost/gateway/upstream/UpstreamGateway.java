package io.outpost.gateway.upstream;

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
import io.outpost.link.Outbox;
import io.outpost.link.SiteLink;
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
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;

/**
 * The upstream gateway: answers outposts' requests from the git, image, provider and module registry origins
 * it is allowed to serve.
 *
 * @param outpost the outpost this upstream serves
 * @param data the upstream site's data
 * @param tenants what each tenant of the outpost may have, within the allowlist and image origins
 * @param pollEvery how often subscribed origins are looked at for updates to push
 * @see #builder
 */
public record UpstreamGateway(String outpost, SiteData data, Allowlist allowlist, ImageOrigins imageOrigins, ProviderOrigins providerOrigins,
                              ModuleOrigins moduleOrigins, TenantAllowlists tenants, int chunkSize, TransferTiming timing, TransferCoding coding, Duration pollEvery, MeterRegistry meters, Clock clock) {

    /** How often subscribed origins are looked at unless the operator says otherwise ({@code --poll-every}). */
    public static final Duration DEFAULT_POLL_EVERY = Duration.ofSeconds(30);

    /** An upstream gateway serving {@code outpost} from {@code data}; it serves nothing until given its allowlists. */
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
        private MeterRegistry meters = new SimpleMeterRegistry();
        private Clock clock = Clock.systemUTC();

        private Builder(String outpost, SiteData data) {
            this.outpost = outpost;
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

        public Builder meters(MeterRegistry meters) {
            this.meters = meters;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public UpstreamGateway build() {
            return new UpstreamGateway(outpost, data, allowlist, imageOrigins, providerOrigins, moduleOrigins, tenants, chunkSize, timing, coding, pollEvery, meters,
                    clock);
        }
    }

    /** The name of the upstream site, which signs what it sends: outposts trust its key under this name. */
    public static final String SITE = "upstream";
    /** How long an archive's answers stay worth applying: removable media travel for weeks. */
    private static final Duration ARCHIVE_TTL = Duration.ofDays(90);

    /** The flows that answer requests, sending through one outbox. */
    private record Answering(UpstreamGitSync git, UpstreamImagePull images, UpstreamProviderPull providers, UpstreamModulePull modules, Refusals refusals,
                             OriginMirrors mirrors) {
    }

    private Answering answering(Outbox outbox) {
        Spool spool = new Spool(data.spool());
        OriginMirrors mirrors = new OriginMirrors(data.mirrors());
        HoldingsLedger ledger = new HoldingsLedger(data.ledgers());
        UpstreamImagePull imagePull = new UpstreamImagePull(imageOrigins, tenants, ledger, outbox, spool, clock);
        UpstreamProviderPull providerPull = new UpstreamProviderPull(providerOrigins, outbox, spool, clock);
        UpstreamModulePull modulePull = new UpstreamModulePull(moduleOrigins, new OriginMirrors(data.moduleMirrors()), outbox, spool, clock);
        UpstreamGitSync gitSync = new UpstreamGitSync(allowlist, tenants, mirrors, ledger, outbox, spool,
                new RequirementsAhead(mirrors, imageOrigins, providerOrigins, imagePull, providerPull, modulePull), clock);
        return new Answering(gitSync, imagePull, providerPull, modulePull, new Refusals(outbox, clock), mirrors);
    }

    public void install(CamelContext camel) throws Exception {
        SiteLink link = new SiteLink(camel, "upstream", outpost, data, SiteKeys.loadOrCreate(data.keys(), SITE), outpost, chunkSize, timing, coding, meters,
                clock);
        Answering answering = answering(link.outbox());
        UpstreamPush push = new UpstreamPush(outpost, new Subscriptions(data.subscriptions()), allowlist, tenants, answering.mirrors(),
                answering.git(), timing.senderQuiet(), link.outbox()::transfersInFlight, clock);
        camel.addRoutes(new UpstreamPushRoute(push, pollEvery));
        link.receive(new UpstreamRequests(answering.git(), answering.images(), answering.providers(), answering.modules(), push, answering.refusals(), clock).byType());
    }

    /** What an export wrote: the archive, its size, and the messages in it by type, in order. */
    public record Exported(Path archive, long bytes, List<String> messages) {
    }

    /**
     * Removable media: answers the sync requests of an outpost's inventory into a signed archive at
     * {@code archive} instead of onto the link — the same package a sync would get, verified the same way.
     */
    public Exported export(Inventory inventory, Path archive) {
        if (!outpost.equals(inventory.outpost())) {
            throw new IllegalArgumentException("the inventory is of outpost '" + inventory.outpost() + "'; this upstream serves '" + outpost + "'");
        }
        SiteKeys keys = SiteKeys.loadOrCreate(data.keys(), SITE);
        try (ArchiveWriter writer = new ArchiveWriter(archive, outpost, keys, new EnvelopeCodec(chunkSize), clock)) {
            Answering answering = answering(writer);
            for (GitSync sync : inventory.syncs()) {
                answering.git().answer(Envelope.request(MessageTypes.GIT_SYNC, outpost, inventory.tenant(), Messages.headers(sync), clock.instant(),
                        ARCHIVE_TTL));
            }
            long bytes = writer.finish();
            return new Exported(archive, bytes, writer.types());
        }
    }
}
