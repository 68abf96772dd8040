package io.outpost.gateway.upstream;

import io.outpost.gateway.git.OriginMirrors;
import io.outpost.protocol.EnvelopeCodec;
import io.outpost.protocol.MessageTypes;
import io.outpost.site.DeadLetters;
import io.outpost.site.LinkInbox;
import io.outpost.site.LinkInboundRoute;
import io.outpost.site.LinkOutbox;
import io.outpost.transfer.TransferReceiver;
import io.outpost.transfer.TransferSender;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.apache.camel.CamelContext;

/**
 * The upstream gateway: answers outposts' requests from the git and registry origins it is allowed to serve.
 *
 * @param data the upstream site's data directory ({@code DATA/upstream})
 */
public record UpstreamGateway(Path data, Allowlist allowlist, ImageOrigins imageOrigins, int chunkSize, Clock clock) {

    public void install(CamelContext camel) throws Exception {
        EnvelopeCodec codec = new EnvelopeCodec(chunkSize);
        LinkOutbox outbox = new LinkOutbox(camel.createProducerTemplate(), "upstream", codec, new TransferSender(chunkSize), clock);
        UpstreamGitSync gitSync = new UpstreamGitSync(allowlist, new OriginMirrors(data.resolve("mirrors")), outbox,
                data.resolve("spool"), clock);
        UpstreamImagePull imagePull = new UpstreamImagePull(imageOrigins, outbox, data.resolve("spool"), clock);
        DeadLetters.ensureInstalled(camel, "upstream");
        camel.addRoutes(new LinkInboundRoute("upstream", new LinkInbox("upstream", codec,
                new TransferReceiver(data.resolve("transfers"), codec),
                Map.of(MessageTypes.GIT_SYNC, delivery -> gitSync.answer(delivery.message()),
                        MessageTypes.IMAGE_PULL, delivery -> imagePull.answer(delivery.message())))));
    }
}
