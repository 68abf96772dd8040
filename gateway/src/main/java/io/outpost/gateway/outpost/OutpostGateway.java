package io.outpost.gateway.outpost;

import io.outpost.gateway.git.LocalRemotes;
import io.outpost.gateway.media.ArchiveImport;
import io.outpost.gateway.media.ArchiveReader;
import io.outpost.gateway.upstream.UpstreamGateway;
import io.outpost.protocol.Envelope;
import io.outpost.protocol.EnvelopeCodec;
import io.outpost.protocol.Messages;
import io.outpost.protocol.MessageTypes;
import io.outpost.registry.RegistryClient;
import io.outpost.registry.RegistryEndpoint;
import io.outpost.site.Addresses;
import io.outpost.site.CloseOnStop;
import io.outpost.site.LinkInbox;
import io.outpost.site.LinkOutbox;
import io.outpost.site.OperatorEvents;
import io.outpost.site.SiteLink;
import io.outpost.site.TransferTiming;
import io.outpost.transfer.Delivery;
import io.outpost.tls.InternalCa;
import io.outpost.trust.SiteKeys;
import io.outpost.trust.TrustedKeys;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;

/**
 * The outpost gateway: takes workers' requests to the link and applies the answers to the local git
 * remote and the local registry, then tells workers; serves the provider mirror.
 *
 * @param data the outpost site's data directory ({@code DATA/outpost})
 * @param localRegistry the outpost's registry, or null when it has none (image requests then fail)
 * @param resendAfter how long an unanswered request blocks identical ones before it may be sent again
 * @param requestTtl how long a request stays worth answering
 * @param providerMirrorPort port on 127.0.0.1 of the HTTPS provider mirror; 0 for a free one
 * @param meters where the outpost's requests, transfers and reused image bytes are measured
 * @param subscriptions repos whose updates upstream pushes unasked (push mode), besides those an operator added; empty to pull
 */
public record OutpostGateway(String outpost, Path data, RegistryEndpoint localRegistry, int chunkSize, TransferTiming timing,
                             Duration resendAfter, Duration requestTtl, int providerMirrorPort, List<String> subscriptions, OperatorEvents events,
                             MeterRegistry meters, Clock clock) {

    /**
     * Where terraform finds the provider mirror, and the certificate it must trust for it; the outpost's
     * keys; and the import of archives from removable media.
     */
    public record Installed(URI providerMirror, Path caCertificate, SiteKeys keys, ArchiveImport archives) {
    }

    public Installed install(CamelContext camel) throws Exception {
        SiteKeys keys = SiteKeys.loadOrCreate(data.resolve("keys"), outpost);
        SiteLink link = new SiteLink(camel, "outpost", outpost, data, keys, UpstreamGateway.SITE, chunkSize, timing, meters, clock);
        EnvelopeCodec codec = link.codec();
        LinkOutbox outbox = link.outbox();
        ProducerTemplate producer = camel.createProducerTemplate();
        AtomicReference<OutpostGitSync> parkedBundles = new AtomicReference<>();
        AtomicReference<OutpostSubscriptions> subscribed = new AtomicReference<>();
        ReadyPublisher ready = event -> {
            Envelope envelope = new Envelope(UUID.randomUUID().toString(), MessageTypes.READY, UUID.randomUUID().toString(),
                    outpost, clock.instant(), Envelope.DEFAULT_PRIORITY, null, Messages.headers(event), null);
            producer.sendBodyAndHeaders("outpost:topic:" + Addresses.READY, codec.encode(envelope), LinkOutbox.properties(envelope));
            // a bundle waiting for this image or provider may now move its refs
            Optional.ofNullable(parkedBundles.get()).ifPresent(git -> git.onReady(event));
            Optional.ofNullable(subscribed.get()).ifPresent(subscriptions -> subscriptions.onReady(event));
        };
        InFlightRequests inFlight = new InFlightRequests(clock, resendAfter, meters);
        OutpostRequests requests = new OutpostRequests(outpost, inFlight, outbox, ready, events, meters, clock, requestTtl);
        Optional<RegistryClient> registry = Optional.ofNullable(localRegistry).map(RegistryClient::new);
        BlobInventory blobs = new BlobInventory(data.resolve("registry-inventory.json"));
        ProviderMirror providers = new ProviderMirror(data.resolve("providers"));
        LocalRemotes remotes = new LocalRemotes(data.resolve("git"), clock);
        LocalContent local = new LocalContent(registry, blobs, providers);
        OutpostGitSync gitSync = new OutpostGitSync(remotes, local, data.resolve("parked"), requests);
        parkedBundles.set(gitSync);
        Optional<OutpostImagePull> imagePull = registry.map(client -> new OutpostImagePull(client, blobs, new KeptIndexes(data.resolve("indexes")),
                requests));

        Map<String, Consumer<Delivery>> answers = new HashMap<>(Map.of(
                MessageTypes.GIT_BUNDLE, gitSync::answer,
                MessageTypes.GIT_UP_TO_DATE, gitSync::answer,
                MessageTypes.ERROR, new UpstreamErrors(inFlight, ready, events)::answer));
        imagePull.ifPresent(images -> {
            answers.put(MessageTypes.IMAGE_BLOB, images::blob);
            answers.put(MessageTypes.IMAGE_CONTENT, images::content);
        });
        OutpostProviderPull providerPull = new OutpostProviderPull(providers, requests);
        answers.put(MessageTypes.PROVIDER_PACKAGE, providerPull::pkg);
        LinkInbox inbox = link.receive(answers);
        ArchiveImport archives = new ArchiveImport(new ArchiveReader(outpost, TrustedKeys.of(keys), codec, answers.keySet()),
                data.resolve("import"), inbox::deliver, events);
        subscribed.set(new OutpostSubscriptions(subscriptions, data.resolve(OutpostSubscriptions.FILE), remotes, local, requests));
        camel.addRoutes(new SubscribeRoute(subscribed.get()));
        camel.addRoutes(new WorkerRequestRoute(new WorkerRequests(codec, gitSync, imagePull, providerPull, subscribed.get(), archives, ready)));
        InternalCa ca = InternalCa.loadOrCreate(data.resolve("tls"), outpost, clock);
        ProviderMirrorServer mirror = ProviderMirrorServer.start(providers, ca, providerMirrorPort, providerPull::request);
        camel.addService(new CloseOnStop(mirror), true, true);
        return new Installed(mirror.url(), ca.certificateFile(), keys, archives);
    }
}
