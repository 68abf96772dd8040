package io.outpost.gateway.outpost;

import io.outpost.brokerclient.Addresses;
import io.outpost.data.NamespaceData;
import io.outpost.data.SiteData;
import io.outpost.events.OperatorEvents;
import io.outpost.gateway.outpost.git.LocalRemotes;
import io.outpost.gateway.outpost.git.OutpostGitSync;
import io.outpost.gateway.outpost.image.BlobInventory;
import io.outpost.gateway.outpost.image.KeptIndexes;
import io.outpost.gateway.outpost.image.OutpostImagePull;
import io.outpost.gateway.outpost.module.ModuleMirror;
import io.outpost.gateway.outpost.provider.ProviderMirror;
import io.outpost.gateway.outpost.push.OutpostSubscriptions;
import io.outpost.link.DeferredDeliveries;
import io.outpost.protocol.Envelope;
import io.outpost.protocol.EnvelopeCodec;
import io.outpost.protocol.MessageTypes;
import io.outpost.protocol.Messages;
import io.outpost.protocol.transfer.Delivery;
import io.outpost.protocol.Ready;
import io.outpost.registry.RegistryClient;
import io.outpost.registry.RegistryNamespace;
import io.outpost.registry.SignaturePolicy;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.ProducerTemplate;

/**
 * One namespace at the outpost — its own, or a tenant's — and the flows that fill it: its local git
 * remotes, its part of the local registry, its requests in flight, its subscriptions and its ready topic.
 * A tenant's state lives under {@code DATA/outpost/tenants/<tenant>/}, the outpost's own directly under
 * {@code DATA/outpost}; the provider and module mirrors are one for all (what they hold is public and signed by its makers).
 * Gateways sharing the outpost's broker learn from each other's ready events ({@link #learn}).
 */
final class OutpostNamespace {
    private final String tenant;
    private final String gateway;
    private final InFlightRequests inFlight;
    private final ProducerTemplate producer;
    private final EnvelopeCodec codec;
    private final OutpostRequests requests;
    private final OutpostGitSync git;
    private final Optional<OutpostImagePull> images;
    private final UpstreamErrors errors;
    private final OutpostSubscriptions subscriptions;
    private final LocalRemotes remotes;

    /**
     * @param outpostData the outpost site's data
     * @param registry the whole local registry, or empty when the outpost has none
     * @param gateway this gateway process, as its ready events name it ({@link Addresses#PUBLISHED_BY})
     * @param tenants every tenant of the outpost, whose registry prefixes the outpost's own namespace may not use
     * @param signatures which images must arrive signed, by repository as this namespace names it
     * @param inFlight this namespace's requests in flight
     * @param shared what every namespace shares: the outpost's name, the link outbox, the operator's events, the meters, the clock, the request TTL
     * @param configuredSubscriptions repos subscribed by configuration (push mode)
     * @param providersReady where the shared provider flow's answers are told
     * @param kept what arrived and waits for a local cause to clear
     */
    OutpostNamespace(String tenant, String gateway, SiteData outpostData, Optional<RegistryClient> registry, SignaturePolicy signatures, Collection<String> tenants,
                     InFlightRequests inFlight,
                     OutpostRequests shared, ProviderMirror providers, ModuleMirror modules, ProducerTemplate producer, EnvelopeCodec codec, List<String> configuredSubscriptions,
                     ReadyPublisher providersReady, DeferredDeliveries kept) {
        this.tenant = tenant;
        this.gateway = gateway;
        this.inFlight = inFlight;
        this.producer = producer;
        this.codec = codec;
        NamespaceData root = outpostData.namespace(tenant);
        OperatorEvents events = shared.events().inNamespace(tenant);
        this.requests = new OutpostRequests(shared.outpost(), tenant, inFlight, shared.outbox(), this::publish, events, shared.meters(), shared.clock(),
                shared.requestTtl());
        Optional<RegistryClient> own = registry.map(whole -> whole.within(RegistryNamespace.of(tenant, tenants)));
        BlobInventory blobs = BlobInventory.of(root);
        this.remotes = new LocalRemotes(root.git(), shared.clock());
        LocalContent local = new LocalContent(own, blobs, providers, modules, new OutpostHoldings(root.holdings(), root.holdingsSeen()),
                () -> kept.headerValues(MessageTypes.IMAGE_BLOB, "digest", tenant));
        local.repairBlobRecord();
        this.git = new OutpostGitSync(remotes, local, root.parked(gateway), requests);
        this.images = own.map(client -> new OutpostImagePull(client, blobs, local, new KeptIndexes(root.indexes()), requests, signatures));
        this.subscriptions = new OutpostSubscriptions(configuredSubscriptions, root.subscriptions(), remotes, local, requests);
        this.errors = new UpstreamErrors(inFlight, this::publish, providersReady, events, subject -> {
            local.ledgerUnknown();
            git.resend(subject);
            subscriptions.resend(subject);
            images.ifPresent(pulls -> pulls.resend(subject));
        });
    }

    String tenant() {
        return tenant;
    }

    LocalRemotes remotes() {
        return remotes;
    }

    OutpostGitSync git() {
        return git;
    }

    /** A git answer, pushed or asked for: upstream has heard this namespace's subscription to its repo, if it has one. */
    void gitAnswer(Delivery delivery) {
        subscriptions.heard(delivery.message().headers().path("repo").asText());
        git.answer(delivery);
    }

    Optional<OutpostImagePull> images() {
        return images;
    }

    UpstreamErrors errors() {
        return errors;
    }

    OutpostSubscriptions subscriptions() {
        return subscriptions;
    }

    /** Tells this namespace's workers, on its own topic; a bundle or subscription waiting for the subject moves on. */
    void publish(Ready event) {
        Envelope envelope = new Envelope(UUID.randomUUID().toString(), MessageTypes.READY, UUID.randomUUID().toString(), requests.outpost(), tenant,
                requests.clock().instant(), Envelope.DEFAULT_PRIORITY, null, Messages.headers(event), null);
        Map<String, Object> properties = new HashMap<>(Addresses.propertiesOf(envelope));
        properties.put(Addresses.PUBLISHED_BY, gateway);
        producer.sendBodyAndHeaders("outpost:topic:" + Addresses.ready(tenant), codec.encode(envelope), properties);
        git.onReady(event);
        subscriptions.onReady(event);
    }

    /**
     * Another gateway sharing the broker applied an answer (the answer's messages went to whichever took
     * them first): a request this one sent for the same subject is answered, so identical ones are sent
     * again rather than coalesced into it, and bundles waiting here for the subject may move.
     */
    void learn(Ready event) {
        boolean failed = event.status() == Ready.Status.FAILED;
        for (String key : InFlightRequests.keysOf(event.subject())) {
            inFlight.finish(key, failed ? InFlightRequests.ERROR : InFlightRequests.ANSWERED);
            if (!failed) {
                inFlight.succeeded(key);
            }
        }
        git.onReady(event);
    }
}
