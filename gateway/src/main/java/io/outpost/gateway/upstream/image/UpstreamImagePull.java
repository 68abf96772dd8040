package io.outpost.gateway.upstream.image;

import io.outpost.content.Tenants;
import io.outpost.gateway.upstream.HoldingsLedger;
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
import io.outpost.registry.Manifest;
import io.outpost.registry.ManifestContents;
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
 * also the requested platform's manifest), streams each blob the outpost lacks through a spool file onto
 * the link, then sends the manifests exactly as the origin stores them.
 */
public final class UpstreamImagePull {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamImagePull.class);

    private final ImageOrigins origins;
    private final TenantAllowlists tenants;
    private final HoldingsLedger ledger;
    private final Outbox outbox;
    private final Refusals refusals;
    private final Spool spool;
    private final Clock clock;

    public UpstreamImagePull(ImageOrigins origins, TenantAllowlists tenants, HoldingsLedger ledger, Outbox outbox, Spool spool, Clock clock) {
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
        Optional<ImageOrigins.Origin> origin = origins.originOf(pull.repository());
        if (origin.isEmpty() || !tenants.allowsImage(request.tenant(), pull.repository())) {
            refusals.refuse(request, ErrorCode.FORBIDDEN, "repository '" + pull.repository() + "' is not on "
                    + TenantAllowlists.whose(origin.isEmpty() ? Tenants.OUTPOST : request.tenant()), pull.subject());
            return false;
        }
        RegistryClient registry = origin.get().registry();
        String repository = origin.get().repository();
        try {
            List<Manifest> manifests = resolve(registry, repository, pull);
            if (manifests.isEmpty()) {
                refusals.refuse(request, ErrorCode.NOT_FOUND, pull.subject() + " has no manifest for " + pull.platform(), pull.subject());
                return false;
            }
            List<String> blobs = manifests.stream().map(ManifestContents::of).filter(contents -> !contents.index())
                    .flatMap(contents -> contents.blobs().stream()).map(ManifestContents.Descriptor::digest).distinct().toList();
            Set<String> have = new HashSet<>(pull.haveBlobs());
            for (String digest : blobs) {
                if (!have.contains(digest)) {
                    sendBlob(request, registry, repository, pull.repository(), digest);
                }
            }
            List<ImageContent.RawManifest> raw = new ArrayList<>();
            manifests.forEach(m -> raw.add(ImageContent.RawManifest.of(m.mediaType(), m.digest(), m.bytes())));
            outbox.send(request.reply(MessageTypes.IMAGE_CONTENT,
                    Messages.headers(new ImageContent(pull.repository(), pull.reference(), raw, blobs)), null, clock.instant()));
            return true;
        } catch (RegistryException e) {
            refusals.refuse(request, ErrorCode.ofOriginStatus(e.status()), pull.subject() + ": " + e.getMessage(), pull.subject());
            return false;
        }
    }

    /** The platform manifests first, then the index they were chosen from; empty when the platform is absent. */
    private static List<Manifest> resolve(RegistryClient registry, String repository, ImagePull pull) {
        Manifest top = registry.manifest(repository, pull.reference());
        ManifestContents contents = ManifestContents.of(top);
        if (!contents.index()) {
            return List.of(top);
        }
        List<Manifest> manifests = new ArrayList<>();
        contents.manifests().stream()
                .filter(entry -> pull.platform().equals(ImagePull.ALL_PLATFORMS) || pull.platform().equals(entry.platform()))
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
            long size = registry.pullBlob(atOrigin, digest, file);
            // pullBlob checked the content against its digest, which for a blob is its sha256
            outbox.send(request.reply(MessageTypes.IMAGE_BLOB, Messages.headers(new ImageBlob(repository, digest, size)), null,
                    clock.instant()), file, digest.substring("sha256:".length()));
        } finally {
            spool.delete(file);
        }
    }
}
