package io.outpost.gateway.outpost;

import io.outpost.gateway.git.LocalRemotes;
import io.outpost.protocol.Envelope;
import io.outpost.protocol.EnvelopeCodec;
import io.outpost.protocol.Messages;
import io.outpost.protocol.MessageTypes;
import io.outpost.registry.RegistryClient;
import io.outpost.registry.RegistryEndpoint;
import io.outpost.site.Addresses;
import io.outpost.site.LinkOutbox;
import io.outpost.site.OperatorEvents;
import io.outpost.site.SiteLink;
import io.outpost.site.TransferTiming;
import io.outpost.transfer.Delivery;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;

/**
 * The outpost gateway: takes workers' requests to the link and applies the answers to the local git
 * remote and the local registry, then tells workers.
 *
 * @param data the outpost site's data directory ({@code DATA/outpost})
 * @param localRegistry the outpost's registry, or null when it has none (image requests then fail)
 * @param resendAfter how long an unanswered request blocks identical ones before it may be sent again
 * @param requestTtl how long a request stays worth answering
 */
public record OutpostGateway(String outpost, Path data, RegistryEndpoint localRegistry, int chunkSize, TransferTiming timing,
                             Duration resendAfter, Duration requestTtl, OperatorEvents events, Clock clock) {

    public void install(CamelContext camel) throws Exception {
        SiteLink link = new SiteLink(camel, "outpost", outpost, data, chunkSize, timing, clock);
        EnvelopeCodec codec = link.codec();
        LinkOutbox outbox = link.outbox();
        ProducerTemplate producer = camel.createProducerTemplate();
        ReadyPublisher ready = event -> {
            Envelope envelope = new Envelope(UUID.randomUUID().toString(), MessageTypes.READY, UUID.randomUUID().toString(),
                    outpost, clock.instant(), Envelope.DEFAULT_PRIORITY, null, Messages.headers(event), null);
            producer.sendBodyAndHeaders("outpost:topic:" + Addresses.READY, codec.encode(envelope), LinkOutbox.properties(envelope));
        };
        InFlightRequests inFlight = new InFlightRequests(clock, resendAfter);
        OutpostRequests requests = new OutpostRequests(outpost, inFlight, outbox, ready, events, clock, requestTtl);
        OutpostGitSync gitSync = new OutpostGitSync(new LocalRemotes(data.resolve("git"), clock), requests);
        Optional<OutpostImagePull> imagePull = Optional.ofNullable(localRegistry).map(endpoint -> new OutpostImagePull(
                new RegistryClient(endpoint), new BlobInventory(data.resolve("registry-inventory.json")),
                new KeptIndexes(data.resolve("indexes")), requests));

        Map<String, Consumer<Delivery>> answers = new HashMap<>(Map.of(
                MessageTypes.GIT_BUNDLE, gitSync::answer,
                MessageTypes.GIT_UP_TO_DATE, gitSync::answer,
                MessageTypes.ERROR, new UpstreamErrors(inFlight, ready, events)::answer));
        imagePull.ifPresent(images -> {
            answers.put(MessageTypes.IMAGE_BLOB, images::blob);
            answers.put(MessageTypes.IMAGE_CONTENT, images::content);
        });
        link.receive(answers);
        camel.addRoutes(new WorkerRequestRoute(new WorkerRequests(codec, gitSync, imagePull, ready)));
    }
}
