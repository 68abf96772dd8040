package io.outpost.gateway.upstream;

import io.outpost.gateway.git.OriginMirrors;
import io.outpost.gateway.media.ArchiveWriter;
import io.outpost.gateway.media.Inventory;
import io.outpost.protocol.Envelope;
import io.outpost.protocol.EnvelopeCodec;
import io.outpost.protocol.GitSync;
import io.outpost.protocol.Messages;
import io.outpost.protocol.ErrorReply;
import io.outpost.protocol.MessageTypes;
import io.outpost.site.Outbox;
import io.outpost.site.SiteLink;
import io.outpost.site.TransferTiming;
import io.outpost.transfer.Delivery;
import io.outpost.trust.SiteKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;

/**
 * The upstream gateway: answers outposts' requests from the git, image and provider registry origins it is
 * allowed to serve.
 *
 * @param outpost the outpost this upstream serves
 * @param data the upstream site's data directory ({@code DATA/upstream})
 * @param tenants what each tenant of the outpost may have, within the allowlist and image origins
 * @param pollEvery how often subscribed origins are looked at for updates to push
 */
public record UpstreamGateway(String outpost, Path data, Allowlist allowlist, ImageOrigins imageOrigins, ProviderOrigins providerOrigins,
                              TenantAllowlists tenants, int chunkSize, TransferTiming timing, Duration pollEvery, MeterRegistry meters, Clock clock) {

    /** The name of the upstream site, which signs what it sends: outposts trust its key under this name. */
    public static final String SITE = "upstream";
    /** How long an archive's answers stay worth applying: removable media travel for weeks. */
    private static final Duration ARCHIVE_TTL = Duration.ofDays(90);

    /** The flows that answer requests, sending through one outbox. */
    private record Answering(UpstreamGitSync git, UpstreamImagePull images, UpstreamProviderPull providers, Refusals refusals,
                             OriginMirrors mirrors) {
    }

    private Answering answering(Outbox outbox) {
        Spool spool = new Spool(data.resolve("spool"));
        OriginMirrors mirrors = new OriginMirrors(data.resolve("mirrors"));
        UpstreamImagePull imagePull = new UpstreamImagePull(imageOrigins, tenants, outbox, spool, clock);
        UpstreamProviderPull providerPull = new UpstreamProviderPull(providerOrigins, outbox, spool, clock);
        UpstreamGitSync gitSync = new UpstreamGitSync(allowlist, tenants, mirrors, outbox, spool,
                new RequirementsAhead(mirrors, imageOrigins, providerOrigins, imagePull, providerPull), clock);
        return new Answering(gitSync, imagePull, providerPull, new Refusals(outbox, clock), mirrors);
    }

    public void install(CamelContext camel) throws Exception {
        SiteLink link = new SiteLink(camel, "upstream", outpost, data, SiteKeys.loadOrCreate(data.resolve("keys"), SITE), outpost, chunkSize, timing, meters,
                clock);
        Answering answering = answering(link.outbox());
        UpstreamPush push = new UpstreamPush(outpost, new Subscriptions(data.resolve("subscriptions")), allowlist, tenants, answering.mirrors(),
                answering.git(), clock);
        camel.addRoutes(new UpstreamPushRoute(push, pollEvery));
        link.receive(Map.of(
                MessageTypes.GIT_SYNC, unlessExpired(answering.refusals(), delivery -> answering.git().answer(delivery.message())),
                MessageTypes.IMAGE_PULL, unlessExpired(answering.refusals(), delivery -> answering.images().answer(delivery.message())),
                MessageTypes.PROVIDER_GET, unlessExpired(answering.refusals(), delivery -> answering.providers().answer(delivery.message())),
                MessageTypes.SUBSCRIBE, delivery -> push.subscribe(delivery.message())));
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
        SiteKeys keys = SiteKeys.loadOrCreate(data.resolve("keys"), SITE);
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

    /** A request older than its TTL gets an error, not a late answer. */
    private Consumer<Delivery> unlessExpired(Refusals refusals, Consumer<Delivery> answer) {
        return delivery -> {
            Envelope request = delivery.message();
            if (request.expiredAt(clock.instant())) {
                refusals.refuse(request, ErrorReply.EXPIRED, request.type() + " " + request.id() + " expired at " + request.expiresAt()
                        + " before it could be answered", null);
            } else {
                answer.accept(delivery);
            }
        };
    }
}
