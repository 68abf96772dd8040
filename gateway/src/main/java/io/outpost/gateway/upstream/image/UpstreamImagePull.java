package io.outpost.gateway.upstream.image;

import io.outpost.content.Tenants;
import io.outpost.gateway.upstream.HoldingsLedger;
import io.outpost.gateway.upstream.OriginCache;
import io.outpost.gateway.upstream.Refusals;
import io.outpost.gateway.upstream.Spool;
import io.outpost.gateway.upstream.TenantAllowlists;
import io.outpost.link.Outbox;
import io.outpost.protocol.Envelope;
import io.outpost.protocol.ErrorCode;
import io.outpost.protocol.ImageBlob;
import io.outpost.protocol.ImageContent;
import io.outpost.protocol.ImagePull;
import io.outpost.protocol.MessageTypes;
import io.outpost.protocol.Messages;
import io.outpost.registry.CosignSignatures;
import io.outpost.registry.Manifest;
import io.outpost.registry.ManifestContents;
import io.outpost.registry.Referrers;
import io.outpost.registry.RegistryClient;
import io.outpost.registry.RegistryException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers an outpost's {@link ImagePull}: resolves the reference at the origin registry (for an index,
 * also the requested platform's manifest) and finds what refers to it there ({@link Referrers}: signatures, SBOMs,
 * attestations); refuses it when the signature policy wants a signature none verifies; streams each blob the
 * outpost lacks through the fleet's {@link OriginCache} and a spool file onto the link, then sends the manifests exactly as the origin stores them, with
 * the origin's tags that name the image ({@link OriginTags}).
 */
public final class UpstreamImagePull {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamImagePull.class);

    private final ImageOrigins origins;
    private final TenantAllowlists tenants;
    private final HoldingsLedger ledger;
    private final Outbox outbox;
    private final Refusals refusals;
    private final Spool spool;
    private final OriginCache cache;
    private final Clock clock;

    public UpstreamImagePull(ImageOrigins origins, TenantAllowlists tenants, HoldingsLedger ledger, Outbox outbox, Spool spool, OriginCache cache,
                             Clock clock) {
        this.cache = cache;
        this.origins = origins;
        this.ledger = ledger;
        this.tenants = tenants;
        this.outbox = outbox;
        this.refusals = new Refusals(outbox, clock);
        this.spool = spool;
        this.clock = clock;
    }

    /** A worker's pull, whose {@code body} (null for none) may carry its holdings' changes. */
    public void answer(Envelope request, Path body) {
        ImagePull pull = Messages.read(request, ImagePull.class);
        if (pull.holdings() == null) {
            answer(request, pull);
        } else {
            ledger.resolve(request, pull.holdings(), body, pull.subject(), refusals).ifPresent(held -> answer(request, pull.withHaveBlobs(held.blobs())));
        }
    }

    /**
     * Sends the blobs of {@code pull} the outpost lacks, then its manifests, as answers to {@code request}
     * (an ImagePull, or a GitSync whose commit needs the image); true when the manifests were sent.
     */
    public boolean answer(Envelope request, ImagePull pull) {
        return answer(request, pull, new HashSet<>());
    }

    /**
     * As {@link #answer(Envelope, ImagePull)}, for one of several images of one answer: {@code sentInThisAnswer} holds the
     * blobs the answer's earlier images sent, which are not sent again, and gains this image's.
     */
    public boolean answer(Envelope request, ImagePull pull, Set<String> sentInThisAnswer) {
        Optional<ImageOrigins.Origin> origin = origins.originOf(pull.repository());
        if (origin.isEmpty() || !tenants.allowsImage(request.tenant(), pull.repository())) {
            refusals.refuse(request, ErrorCode.FORBIDDEN, "repository '" + pull.repository() + "' is not on "
                    + TenantAllowlists.whose(origin.isEmpty() ? Tenants.OUTPOST : request.tenant()), pull.subject());
            return false;
        }
        RegistryClient registry = origin.get().registry();
        String repository = origin.get().repository();
        try {
            List<Manifest> manifests = resolve(registry, repository, pull.reference(), platforms(pull));
            if (manifests.isEmpty()) {
                refusals.refuse(request, ErrorCode.NOT_FOUND, pull.subject() + " has no manifest for " + String.join(", ", platforms(pull)), pull.subject());
                return false;
            }
            Manifest top = manifests.get(manifests.size() - 1);
            List<String> tags = registry.tags(repository);
            List<Referrers.Referrer> referrers = Referrers.of(registry, repository, manifests.stream().map(Manifest::digest).toList(), tags);
            Optional<String> unsigned = origins.signatures().refusal(pull.repository(), top.digest(),
                    referrers.stream().filter(referrer -> CosignSignatures.tagOf(top.digest()).equals(referrer.tag())).map(Referrers.Referrer::manifest)
                            .findFirst().orElse(null), registry, repository);
            if (unsigned.isPresent()) {
                refusals.refuse(request, ErrorCode.NOT_SIGNED, unsigned.get() + " (checked at the upstream; nothing of it was sent)", pull.subject());
                return false;
            }
            List<String> blobs = java.util.stream.Stream.concat(manifests.stream(), referrers.stream().map(Referrers.Referrer::manifest))
                    .map(ManifestContents::of).filter(contents -> !contents.index())
                    .flatMap(contents -> contents.blobs().stream()).map(ManifestContents.Descriptor::digest).distinct().toList();
            Set<String> have = new HashSet<>(pull.haveBlobs());
            for (String digest : blobs) {
                if (!have.contains(digest) && sentInThisAnswer.add(digest)) {
                    sendBlob(request, registry, repository, pull.repository(), digest);
                }
            }
            List<ImageContent.RawManifest> raw = new ArrayList<>();
            manifests.forEach(m -> raw.add(ImageContent.RawManifest.of(m.mediaType(), m.digest(), m.bytes())));
            List<ImageContent.Referrer> referring = referrers.stream().map(referrer -> new ImageContent.Referrer(referrer.tag(),
                    ImageContent.RawManifest.of(referrer.manifest().mediaType(), referrer.manifest().digest(), referrer.manifest().bytes()))).toList();
            outbox.send(request.reply(MessageTypes.IMAGE_CONTENT,
                    Messages.headers(new ImageContent(pull.repository(), pull.reference(), raw, blobs, referring,
                            OriginTags.naming(registry, repository, top.digest(), tags))), null, clock.instant()));
            return true;
        } catch (RegistryException e) {
            refusals.refuse(request, ErrorCode.ofOriginStatus(e.status()), pull.subject() + ": " + e.getMessage(), pull.subject());
            return false;
        }
    }

    /** What the pull asked for, or else this upstream's platforms. */
    private List<String> platforms(ImagePull pull) {
        return pull.platforms().isEmpty() ? origins.platforms() : pull.platforms();
    }

    /** The chosen platforms' manifests first, then the index they were chosen from; empty when none of them is there. */
    private static List<Manifest> resolve(RegistryClient registry, String repository, String reference, List<String> platforms) {
        Manifest top = registry.manifest(repository, reference);
        ManifestContents contents = ManifestContents.of(top);
        if (!contents.index()) {
            return List.of(top);
        }
        List<Manifest> manifests = new ArrayList<>();
        contents.manifests().stream()
                .filter(entry -> platforms.contains(ImagePull.ALL_PLATFORMS) || platforms.contains(entry.platform()))
                .forEach(entry -> manifests.add(registry.manifest(repository, entry.digest())));
        if (manifests.isEmpty()) {
            return List.of();
        }
        manifests.add(top);
        return manifests;
    }

    /** @param atOrigin the repository as the origin names it; {@code repository} as the outpost does */
    private void sendBlob(Envelope request, RegistryClient registry, String atOrigin, String repository, String digest) {
        if (outbox.sending(MessageTypes.IMAGE_BLOB, "digest", digest)) {
            LOG.info("blob {} is already on its way to the outpost; not sent twice", digest);
            return;
        }
        Path file = spool.file(digest.replace(':', '-') + "-" + request.id());
        try {
            String sha256 = digest.substring("sha256:".length());
            // pullBlob checks the content against its digest, which for a blob is its sha256
            long size = cache.copy(sha256, file, download -> {
                registry.pullBlob(atOrigin, digest, download);
                return sha256;
            });
            outbox.send(request.reply(MessageTypes.IMAGE_BLOB, Messages.headers(new ImageBlob(repository, digest, size)), null,
                    clock.instant()), file, sha256);
        } finally {
            spool.delete(file);
        }
    }
}
