package io.outpost.gateway.outpost.image;

import io.micrometer.core.instrument.Counter;
import io.outpost.content.Digests;
import io.outpost.events.OperatorEvents;
import io.outpost.events.Sizes;
import io.outpost.gateway.outpost.AnswerReceived;
import io.outpost.gateway.outpost.InFlightRequests;
import io.outpost.gateway.outpost.LocalContent;
import io.outpost.gateway.outpost.OutpostRequests;
import io.outpost.gateway.outpost.ReadyPublisher;
import io.outpost.gateway.outpost.RequestSent;
import io.outpost.protocol.ErrorCode;
import io.outpost.protocol.ImageBlob;
import io.outpost.protocol.ImageContent;
import io.outpost.protocol.ImagePull;
import io.outpost.protocol.MessageTypes;
import io.outpost.protocol.Messages;
import io.outpost.protocol.Ready;
import io.outpost.protocol.transfer.Delivery;
import io.outpost.registry.CosignSignatures;
import io.outpost.registry.Manifest;
import io.outpost.registry.ManifestContents;
import io.outpost.registry.RegistryClient;
import io.outpost.registry.RegistryException;
import io.outpost.registry.SignaturePolicy;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outpost side of image pulls: sends workers' requests with the blobs the local registry holds,
 * checks each arriving blob against its digest before pushing it, and puts the manifests (platform
 * manifest, then index, then the tags) only once every blob they need is in the local registry. Manifests
 * that arrive before their blobs (the link reordered them) wait for the blobs; a blob rejected on the
 * way is asked for again at once.
 */
public final class OutpostImagePull {
    private static final Logger LOG = LoggerFactory.getLogger(OutpostImagePull.class);
    private static final int RECENT_ANSWERS = 256;

    private final InFlightRequests inFlight;
    private final ReadyPublisher ready;
    private final OperatorEvents events;
    private final OutpostRequests requests;
    /** What was asked, by subject, to ask again with fresh haves. */
    private final Map<String, ImagePull> asked = new ConcurrentHashMap<>();
    /** Manifests waiting for blobs still on the link, by subject. */
    private final Map<String, ImageContent> waiting = new ConcurrentHashMap<>();
    private final Set<String> rejected = ConcurrentHashMap.newKeySet();
    /**
     * The blobs each recent answer (by correlation id) carried, so that what an image needed and its answer
     * did not carry counts as reused, whether the outpost asked (pull) or upstream sent it ahead (push).
     */
    private final Map<String, Set<String>> carried = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Set<String>> eldest) {
            return size() > RECENT_ANSWERS;
        }
    });
    /** The answer each waiting image came in. */
    private final Map<String, String> answerOf = new ConcurrentHashMap<>();
    private final Counter reusedBytes;
    private final RegistryClient registry;
    private final BlobInventory inventory;
    private final LocalContent local;
    private final KeptIndexes indexes;
    private final SignaturePolicy signatures;

    /** @param signatures which images must arrive signed, checked again here before their manifests are put */
    public OutpostImagePull(RegistryClient registry, BlobInventory inventory, LocalContent local, KeptIndexes indexes, OutpostRequests requests,
                            SignaturePolicy signatures) {
        this.registry = registry;
        this.signatures = signatures;
        this.local = local;
        this.inventory = inventory;
        this.indexes = indexes;
        this.requests = requests;
        this.inFlight = requests.inFlight();
        this.ready = requests.ready();
        this.events = requests.events();
        this.reusedBytes = Counter.builder("outpost.image.bytes.reused")
                .description("Bytes of image blobs an answer did not carry because the outpost already held them").register(requests.meters());
    }

    /** A worker asks for an image; identical requests in flight coalesce into one. */
    public void request(ImagePull want) {
        boolean here;
        try {
            here = registry.hasManifest(want.repository(), want.reference());
        } catch (RegistryException e) {
            ready.publish(Ready.failed(want.subject(), ErrorCode.LOCAL_UNAVAILABLE, "the local registry is not answering: " + e.getMessage()));
            return;
        } catch (IllegalArgumentException notThisNamespaces) {
            ready.publish(Ready.failed(want.subject(), ErrorCode.NOT_CONFIGURED, notThisNamespaces.getMessage()));
            return;
        }
        if (here) {
            ready.publish(new Ready(want.subject(), Ready.Status.UNCHANGED, Map.of(), "already in the local registry"));
            return;
        }
        if (requests.answeredByRefusal(InFlightRequests.imageKey(want.subject()), want.subject())) {
            return;
        }
        if (!ask(want)) {
            LOG.debug("pull of {} already in flight; coalesced", want.subject());
        }
    }

    /** Sends {@code want} over the link unless an identical pull is in flight; true when it sent it. */
    private boolean ask(ImagePull want) {
        if (!inFlight.start(InFlightRequests.imageKey(want.subject()))) {
            return false;
        }
        asked.put(want.subject(), want);
        send(want);
        return true;
    }

    /**
     * A runtime asked the registry front for an image the local registry lacks: it is asked for over the link, unless it
     * is on its way or upstream refused it lately. Returns what to tell the runtime, which will pull again.
     */
    public String pullThrough(String repository, String reference) {
        ImagePull want = new ImagePull(repository, reference, "", List.of());
        Optional<InFlightRequests.Refusal> refusal = inFlight.refusal(InFlightRequests.imageKey(want.subject()));
        if (refusal.isPresent()) {
            return "upstream refused " + want.subject() + " " + Sizes.duration(java.time.Duration.between(refusal.get().at(), requests.clock().instant()))
                    + " ago: " + refusal.get().code() + ": " + refusal.get().message();
        }
        if (!ask(want)) {
            return want.subject() + " is not at this outpost yet; it was asked for over the link and is on its way: pull again shortly";
        }
        return want.subject() + " is not at this outpost yet; the registry front has just asked for it over the link: pull again once it"
                + " has arrived (a round trip of the link, and its layers' transfer)";
    }

    /** Upstream could not add up the holdings of a pull of {@code subject}: sent again at once, with the holdings whole. */
    public void resend(String subject) {
        ImagePull want = asked.get(subject);
        if (want != null) {
            send(want);
        }
    }

    private void send(ImagePull want) {
        LocalContent.HoldingsReport holdings = local.holdings();
        ImagePull pull = new ImagePull(want.repository(), want.reference(), want.platform(), List.of(), holdings.holdings());
        requests.send(MessageTypes.IMAGE_PULL, pull, holdings.body());
        events.emit(new RequestSent(MessageTypes.IMAGE_PULL, pull.subject(), "sent over the link (" + holdings.described() + ")"));
    }

    /** One blob of an answer: verified, then pushed (mounted when another repository has it). */
    public void blob(Delivery delivery) {
        ImageBlob blob = Messages.read(delivery.message(), ImageBlob.class);
        String actual = delivery.body() == null ? "empty"
                : "sha256:" + (delivery.verifiedSha256() != null ? delivery.verifiedSha256() : Digests.sha256(delivery.body()));
        if (!actual.equals(blob.digest())) {
            LOG.warn("blob {} for {} arrived with digest {}: rejected, not pushed", blob.digest(), blob.repository(), actual);
            events.emit(new AnswerReceived(MessageTypes.IMAGE_BLOB, blob.repository(), AnswerReceived.Outcome.REJECTED, delivery.bodySize(),
                    " " + shortDigest(blob.digest()) + " REJECTED: content hashes to " + shortDigest(actual)));
            rejected.add(blob.digest());
            for (ImageContent content : List.copyOf(waiting.values())) {
                ImagePull want = asked.get(content.subject());
                if (content.blobs().contains(blob.digest()) && want != null && waiting.remove(content.subject(), content)) {
                    send(want);
                }
            }
            return;
        }
        long start = System.nanoTime();
        registry.pushBlob(blob.repository(), blob.digest(), delivery.body(),
                inventory.holderOtherThan(blob.digest(), blob.repository()).orElse(null));
        requests.applied("blob", start);
        inventory.add(blob.digest(), blob.repository());
        rejected.remove(blob.digest());
        carried.computeIfAbsent(delivery.message().correlationId(), answer -> ConcurrentHashMap.newKeySet()).add(blob.digest());
        events.emit(new AnswerReceived(MessageTypes.IMAGE_BLOB, blob.repository(), AnswerReceived.Outcome.APPLIED, delivery.bodySize(),
                " " + shortDigest(blob.digest()) + " " + Sizes.bytes(delivery.bodySize())));
        for (ImageContent content : List.copyOf(waiting.values())) {
            if (content.blobs().contains(blob.digest()) && missing(content).isEmpty() && waiting.remove(content.subject(), content)) {
                apply(content);
            }
        }
    }

    /** The manifests, last: put only when every blob is here, the tags after the digests. */
    public void content(Delivery delivery) {
        ImageContent content = Messages.read(delivery.message(), ImageContent.class);
        answerOf.put(content.subject(), delivery.message().correlationId());
        List<String> missing = missing(content);
        if (missing.isEmpty()) {
            apply(content);
            return;
        }
        missing.forEach(inventory::forget);
        ImagePull want = asked.get(content.subject());
        if (want != null && missing.stream().anyMatch(rejected::contains)) {
            events.emit(new AnswerReceived(MessageTypes.IMAGE_CONTENT, content.subject(), AnswerReceived.Outcome.WAITING, 0,
                    ": " + missing.size() + " of its blobs were rejected on the way; asking again"));
            send(want);
            return;
        }
        waiting.put(content.subject(), content);
        events.emit(new AnswerReceived(MessageTypes.IMAGE_CONTENT, content.subject(), AnswerReceived.Outcome.WAITING, 0,
                ": waiting for " + missing.size() + " of its blobs still on the link"));
    }

    private List<String> missing(ImageContent content) {
        return content.blobs().stream().filter(digest -> !present(content.repository(), digest)).toList();
    }

    /**
     * The image's pull stays in flight until its manifests are put or it failed here (checking its signature reads the
     * registry): a pull through the registry front meanwhile finds it on its way rather than asking again.
     */
    private void apply(ImageContent content) {
        for (ImageContent.RawManifest raw : java.util.stream.Stream.concat(content.manifests().stream(),
                content.referrers().stream().map(ImageContent.Referrer::manifest)).toList()) {
            Manifest manifest = new Manifest(raw.mediaType(), raw.bytes());
            if (!manifest.digest().equals(raw.digest())) {
                fail(content, ErrorCode.REJECTED, "manifest bytes hash to " + manifest.digest() + ", not " + raw.digest());
                return;
            }
        }
        String topDigest = content.top().digest();
        Optional<String> unsigned = signatures.refusal(content.repository(), topDigest,
                content.referrer(CosignSignatures.tagOf(topDigest)).map(raw -> new Manifest(raw.mediaType(), raw.bytes())).orElse(null),
                registry, content.repository());
        if (unsigned.isPresent()) {
            fail(content, ErrorCode.NOT_SIGNED, unsigned.get() + " (checked at the outpost; none of its manifests was put)");
            return;
        }
        countReused(content);
        try {
            long start = System.nanoTime();
            String note = putManifests(content);
            for (ImageContent.Referrer referrer : content.referrers()) {
                put(content.repository(), referrer.manifest().digest(), referrer.manifest());
                if (referrer.tag() != null) {
                    put(content.repository(), referrer.tag(), referrer.manifest());
                }
            }
            requests.applied("image", start);
            String took = settle(content);
            ImageContent.RawManifest top = content.top();
            events.emit(new AnswerReceived(MessageTypes.IMAGE_CONTENT, content.subject(), AnswerReceived.Outcome.APPLIED, 0, took + ": "
                    + shortDigest(top.digest()) + " in the local registry (" + content.blobs().size() + " blobs"
                    + (content.allTags().isEmpty() ? "" : "; tagged " + String.join(", ", content.allTags())) + ")" + (note.isEmpty() ? "" : "; " + note)));
            ready.publish(new Ready(content.subject(), Ready.Status.UPDATED, Map.of(content.reference(), top.digest()), note));
        } catch (RuntimeException e) {
            fail(content, ErrorCode.REJECTED, "the local registry refused it: " + e.getMessage());
            throw e;
        }
    }

    /**
     * Platform manifests by digest, then the index, then the tags ({@link ImageContent#allTags}). Distribution 2.8 refuses
     * an index whose other platforms it lacks; then the index is kept aside with its tags, for the {@link RegistryFront} to
     * serve, and in the registry itself the tags name the platform manifest. Returns what the operator should know about that, or "".
     */
    private String putManifests(ImageContent content) {
        List<ImageContent.RawManifest> manifests = content.manifests();
        ImageContent.RawManifest top = content.top();
        for (ImageContent.RawManifest raw : manifests.subList(0, manifests.size() - 1)) {
            put(content.repository(), raw.digest(), raw);
        }
        String name = registry.nameOf(content.repository());
        List<String> tags = content.allTags();
        ImageContent.RawManifest tagged = top;
        String note = "";
        try {
            put(content.repository(), top.digest(), top);
            tags.forEach(tag -> indexes.untag(name, tag));
        } catch (RegistryException refused) {
            if (manifests.size() < 2 || refused.status() != 400) {
                throw refused;
            }
            indexes.keep(top.digest(), top.bytes());
            tags.forEach(tag -> indexes.tag(name, tag, top.digest()));
            tagged = manifests.get(0);
            note = "partial index " + shortDigest(top.digest()) + " kept aside for the registry front, which serves it (the local registry "
                    + "holds only complete indexes and names the platform manifest " + shortDigest(tagged.digest()) + " by its tags)";
        }
        for (String tag : tags) {
            put(content.repository(), tag, tagged);
        }
        return note;
    }

    /** Puts a manifest unless {@code reference} already names it: a repeated answer changes nothing. */
    private void put(String repository, String reference, ImageContent.RawManifest raw) {
        if (!registry.manifestDigest(repository, reference).filter(raw.digest()::equals).isPresent()) {
            registry.putManifest(repository, reference, new Manifest(raw.mediaType(), raw.bytes()));
        }
    }

    private void countReused(ImageContent content) {
        String answer = answerOf.remove(content.subject());
        Set<String> came = answer == null ? Set.of() : Optional.ofNullable(carried.get(answer)).orElse(Set.of());
        reusedBytes.increment(content.manifests().stream().map(raw -> ManifestContents.of(new Manifest(raw.mediaType(), raw.bytes())))
                .filter(manifest -> !manifest.index()).flatMap(manifest -> manifest.blobs().stream())
                .filter(blob -> !came.contains(blob.digest())).distinct().mapToLong(ManifestContents.Descriptor::size).sum());
    }

    private boolean present(String repository, String digest) {
        if (registry.hasBlob(repository, digest)) {
            return true;
        }
        Optional<String> holder = inventory.holderOtherThan(digest, repository);
        if (holder.isEmpty()) {
            return false;
        }
        try {
            registry.pushBlob(repository, digest, null, holder.get());
            return true;
        } catch (RegistryException notThere) {
            return false;
        }
    }

    /** The pull is answered: no longer in flight; how long the answer took, for the operator's line. */
    private String settle(ImageContent content) {
        String took = inFlight.finish(InFlightRequests.imageKey(content.subject()), InFlightRequests.ANSWERED).map(d -> " after " + Sizes.duration(d)).orElse("");
        inFlight.succeeded(InFlightRequests.imageKey(content.subject()));
        asked.remove(content.subject());
        return took;
    }

    private void fail(ImageContent content, ErrorCode code, String why) {
        String took = settle(content);
        LOG.warn("image {} not applied: {}", content.subject(), why);
        events.emit(new AnswerReceived(MessageTypes.IMAGE_CONTENT, content.subject(), AnswerReceived.Outcome.REJECTED, 0, took + " NOT APPLIED: " + why));
        // a refusal asking again cannot change is remembered, as upstream's are: the next run is told at once
        inFlight.refused(InFlightRequests.imageKey(content.subject()), code, why);
        ready.publish(Ready.failed(content.subject(), code, why));
    }

    private static String shortDigest(String digest) {
        return digest.length() > 19 ? digest.substring(0, 19) : digest;
    }
}
