package io.outpost.gateway.upstream;

import io.outpost.gateway.git.OriginMirrors;
import io.outpost.protocol.EnvelopeCodec;
import io.outpost.protocol.Envelope;
import io.outpost.protocol.ErrorReply;
import io.outpost.protocol.MessageTypes;
import io.outpost.transfer.Delivery;
import io.outpost.site.DeadLetters;
import io.outpost.site.LinkInbox;
import io.outpost.site.LinkInboundRoute;
import io.outpost.site.LinkOutbox;
import io.outpost.transfer.TransferReceiver;
import io.outpost.transfer.TransferSender;
import io.outpost.gateway.git.OriginMirrors;
import io.outpost.protocol.Envelope;
import io.outpost.protocol.ErrorReply;
import io.outpost.protocol.MessageTypes;
import io.outpost.transfer.Delivery;
import io.outpost.site.SiteLink;
import io.outpost.site.TransferTiming;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.camel.CamelContext;

/**
 * The upstream gateway: answers outposts' requests from the git and registry origins it is allowed to serve.
 *
 * @param outpost the outpost this upstream serves
 * @param data the upstream site's data directory ({@code DATA/upstream})
 */
public record UpstreamGateway(String outpost, Path data, Allowlist allowlist, ImageOrigins imageOrigins, int chunkSize,
                              TransferTiming timing, Clock clock) {

    public void install(CamelContext camel) throws Exception {
        SiteLink link = new SiteLink(camel, "upstream", outpost, data, chunkSize, timing, clock);
        UpstreamGitSync gitSync = new UpstreamGitSync(allowlist, new OriginMirrors(data.resolve("mirrors")), link.outbox(),
                data.resolve("spool"), clock);
        UpstreamImagePull imagePull = new UpstreamImagePull(imageOrigins, link.outbox(), data.resolve("spool"), clock);
        Refusals refusals = new Refusals(link.outbox(), clock);
        link.receive(Map.of(
                MessageTypes.GIT_SYNC, unlessExpired(refusals, delivery -> gitSync.answer(delivery.message())),
                MessageTypes.IMAGE_PULL, unlessExpired(refusals, delivery -> imagePull.answer(delivery.message()))));
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
