package io.outpost.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.outpost.content.Names;
import java.util.Base64;
import java.util.List;

/**
 * The last message of an image answer: the manifests exactly as the origin stores them (platform
 * manifests first, index last when there is one), the image's referrers (signatures, SBOMs, attestations: put
 * after it, each under the tag that named it at the origin, if any) and every blob they all need, so the outpost
 * can check it holds them all before it puts the manifests and, last, the tags: the reference's, if it is one, and
 * {@code tags}, the origin's other tags naming the image when it was moved (so an image pinned by digest keeps its
 * release tag, and a tag the origin moved moves at the outpost too); left out when there are none, so an outpost that
 * predates them reads the answer.
 */
public record ImageContent(String repository, String reference, List<RawManifest> manifests, List<String> blobs, List<Referrer> referrers,
                           @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> tags) {

    /** A manifest that refers to the image, and the tag that named it at the origin ({@code sha256-<hex>.sig}), or null. */
    public record Referrer(String tag, RawManifest manifest) {
        public Referrer {
            if (tag != null) {
                Names.requireTag(tag);
            }
            java.util.Objects.requireNonNull(manifest, "manifest");
        }
    }

    /** An image without referrers or other tags. */
    public ImageContent(String repository, String reference, List<RawManifest> manifests, List<String> blobs) {
        this(repository, reference, manifests, blobs, List.of(), List.of());
    }

    /** A manifest's media type, digest and bytes (base64 in JSON). */
    public record RawManifest(String mediaType, String digest, String base64) {
        public RawManifest {
            Names.requireDigest(digest);
            if (mediaType == null || base64 == null) {
                throw new IllegalArgumentException("a manifest needs its media type and bytes");
            }
        }

        public static RawManifest of(String mediaType, String digest, byte[] bytes) {
            return new RawManifest(mediaType, digest, Base64.getEncoder().encodeToString(bytes));
        }

        public byte[] bytes() {
            return Base64.getDecoder().decode(base64);
        }
    }

    public ImageContent {
        Names.requireImageRepository(repository);
        Names.requireImageReference(reference);
        manifests = List.copyOf(manifests);
        if (manifests.isEmpty()) {
            throw new IllegalArgumentException("an image needs at least one manifest");
        }
        blobs = List.copyOf(blobs);
        blobs.forEach(Names::requireDigest);
        referrers = referrers == null ? List.of() : List.copyOf(referrers);
        tags = tags == null ? List.of() : List.copyOf(tags);
        tags.forEach(Names::requireTag);
    }

    /** Every tag to set to the image at the outpost: the reference, when it is a tag, then the origin's others. */
    public List<String> allTags() {
        return java.util.stream.Stream.concat(reference.startsWith("sha256:") ? java.util.stream.Stream.empty() : java.util.stream.Stream.of(reference),
                tags.stream()).distinct().toList();
    }

    /** The referrer a tag names, if the answer carries it. */
    public java.util.Optional<RawManifest> referrer(String tag) {
        return referrers.stream().filter(referrer -> tag.equals(referrer.tag())).map(Referrer::manifest).findFirst();
    }

    public String subject() {
        return ImagePull.subject(repository, reference);
    }

    /** The manifest the reference names: the index when there is one, else the image manifest. */
    public RawManifest top() {
        return manifests.get(manifests.size() - 1);
    }
}
