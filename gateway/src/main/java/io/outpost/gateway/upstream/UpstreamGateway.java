package io.outpost.gateway.upstream;

import io.outpost.gateway.git.OriginMirrors;
import io.outpost.protocol.Envelope;
import io.outpost.protocol.ErrorReply;
import io.outpost.protocol.MessageTypes;
import io.outpost.site.SiteLink;
import io.outpost.site.TransferTiming;
import io.outpost.transfer.Delivery;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Clock;
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
 * @param pollEvery how often subscribed origins are looked at for updates to push
 */
public record UpstreamGateway(String outpost, Path data, Allowlist allowlist, ImageOrigins imageOrigins, ProviderOrigins providerOrigins,
                              int chunkSize, TransferTiming timing, Duration pollEvery, MeterRegistry meters, Clock clock) {

    public void install(CamelContext camel) throws Exception {
        SiteLink link = new SiteLink(camel, "upstream", outpost, data, chunkSize, timing, meters, clock);
        Spool spool = new Spool(data.resolve("spool"));
        OriginMirrors mirrors = new OriginMirrors(data.resolve("mirrors"));
        UpstreamImagePull imagePull = new UpstreamImagePull(imageOrigins, link.outbox(), spool, clock);
        UpstreamProviderPull providerPull = new UpstreamProviderPull(providerOrigins, link.outbox(), spool, clock);
        UpstreamGitSync gitSync = new UpstreamGitSync(allowlist, mirrors, link.outbox(), spool,
                new RequirementsAhead(mirrors, imageOrigins, providerOrigins, imagePull, providerPull), clock);
        Refusals refusals = new Refusals(link.outbox(), clock);
        UpstreamPush push = new UpstreamPush(outpost, new Subscriptions(data.resolve("subscriptions")), allowlist, mirrors, gitSync, clock);
        camel.addRoutes(new UpstreamPushRoute(push, pollEvery));
        link.receive(Map.of(
                MessageTypes.GIT_SYNC, unlessExpired(refusals, delivery -> gitSync.answer(delivery.message())),
                MessageTypes.IMAGE_PULL, unlessExpired(refusals, delivery -> imagePull.answer(delivery.message())),
                MessageTypes.PROVIDER_GET, unlessExpired(refusals, delivery -> providerPull.answer(delivery.message())),
                MessageTypes.SUBSCRIBE, delivery -> push.subscribe(delivery.message())));
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
