package io.outpost.gateway.upstream.image;

import io.outpost.registry.RegistryClient;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which of a repository's tags name a manifest now: the release tags of an image pinned by digest, carried to the
 * outpost with it. A registry says only what one tag names, so each candidate costs a HEAD request; a repository with
 * more than {@link #MAX_CHECKED} tags is not searched (the reference's own tag still travels). Referrer tags
 * ({@code sha256-<hex>}, cosign's {@code .sig}) are not image tags and are left out.
 */
public final class OriginTags {
    private static final Logger LOG = LoggerFactory.getLogger(OriginTags.class);
    /** HEAD requests one image may cost at the origin. */
    public static final int MAX_CHECKED = 100;

    private OriginTags() {
    }

    /** The tags among {@code tags} (the repository's list) that name {@code digest} in {@code repository}, in list order. */
    public static List<String> naming(RegistryClient registry, String repository, String digest, List<String> tags) {
        List<String> candidates = tags.stream().filter(tag -> !tag.startsWith("sha256-")).toList();
        if (candidates.size() > MAX_CHECKED) {
            LOG.info("{} has {} tags, more than the {} checked for each image: {} travels without the other tags naming it (name the tag in the"
                    + " reference to carry it)", repository, candidates.size(), MAX_CHECKED, digest);
            return List.of();
        }
        return candidates.stream().filter(tag -> registry.manifestDigest(repository, tag).filter(digest::equals).isPresent()).toList();
    }
}
