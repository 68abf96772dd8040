package io.outpost.gateway.outpost;

import io.outpost.gateway.git.LocalRemotes;
import io.outpost.protocol.Envelope;
import io.outpost.protocol.EnvelopeCodec;
import io.outpost.protocol.Messages;
import io.outpost.protocol.MessageTypes;
import io.outpost.site.Addresses;
import io.outpost.site.DeadLetters;
import io.outpost.site.LinkInbox;
import io.outpost.site.LinkInboundRoute;
import io.outpost.site.LinkOutbox;
import io.outpost.site.OperatorEvents;
import io.outpost.transfer.TransferReceiver;
import io.outpost.transfer.TransferSender;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;

/**
 * The outpost gateway: takes workers' requests to the link and applies the answers to the local git
 * remote, then tells workers.
 *
 * @param data the outpost site's data directory ({@code DATA/outpost})
 * @param resendAfter how long an unanswered request blocks identical ones before it may be sent again
 * @param requestTtl how long a request stays worth answering
 */
public record OutpostGateway(String outpost, Path data, int chunkSize, Duration resendAfter, Duration requestTtl,
                             OperatorEvents events, Clock clock) {

    public void install(CamelContext camel) throws Exception {
        EnvelopeCodec codec = new EnvelopeCodec(chunkSize);
        ProducerTemplate producer = camel.createProducerTemplate();
        LinkOutbox outbox = new LinkOutbox(producer, "outpost", codec, new TransferSender(chunkSize), clock);
        ReadyPublisher ready = event -> {
            Envelope envelope = new Envelope(UUID.randomUUID().toString(), MessageTypes.READY, UUID.randomUUID().toString(),
                    outpost, clock.instant(), Envelope.DEFAULT_PRIORITY, null, Messages.headers(event), null);
            producer.sendBodyAndHeaders("outpost:topic:" + Addresses.READY, codec.encode(envelope), LinkOutbox.properties(envelope));
        };
        OutpostGitSync gitSync = new OutpostGitSync(outpost, new LocalRemotes(data.resolve("git"), clock),
                new InFlightRequests(clock, resendAfter), outbox, ready, events, clock, requestTtl);
        DeadLetters.ensureInstalled(camel, "outpost");
        camel.addRoutes(new WorkerRequestRoute(new WorkerRequests(codec, gitSync)));
        camel.addRoutes(new LinkInboundRoute("outpost", new LinkInbox("outpost", codec,
                new TransferReceiver(data.resolve("transfers"), codec), Map.of(
                        MessageTypes.GIT_BUNDLE, gitSync::answer,
                        MessageTypes.GIT_UP_TO_DATE, gitSync::answer,
                        MessageTypes.ERROR, gitSync::answer))));
    }
}
