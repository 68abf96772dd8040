package io.outpost.registry;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What refers to an image at a registry: its signatures, SBOMs and attestations, found as clients find them. The OCI 1.1
 * referrers API where the registry answers it, else the referrers tag schema ({@code sha256-<hex>}, an index of them);
 * and cosign's tags ({@code sha256-<hex>.sig}, {@code .att}, {@code .sbom}). Each referrer as the registry stores it,
 * with the tag that names it there, if one does; an index of referrers comes after what it lists.
 */
public final class Referrers {
    /** Cosign's tag suffixes: signatures, attestations, SBOMs. */
    private static final List<String> COSIGN = List.of(".sig", ".att", ".sbom");

    /** @param tag the tag naming it at the registry, or null for one found by digest only */
    public record Referrer(String tag, Manifest manifest) {
    }

    private Referrers() {
    }

    /** The tag of the referrers tag schema, and the stem of cosign's tags, for {@code digest}. */
    public static String tagOf(String digest) {
        return digest.replace(':', '-');
    }

    /** The referrers of each of {@code subjects} (manifest digests) in {@code repository}; a manifest referred to twice comes once. */
    public static List<Referrer> of(RegistryClient registry, String repository, List<String> subjects) {
        return of(registry, repository, subjects, registry.tags(repository));
    }

    /** As {@link #of(RegistryClient, String, List)}, with the repository's tag list already read. */
    public static List<Referrer> of(RegistryClient registry, String repository, List<String> subjects, List<String> repositoryTags) {
        List<Referrer> found = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        Set<String> tags = Set.copyOf(repositoryTags);
        boolean api = true;
        for (String subject : subjects) {
            String stem = tagOf(subject);
            Optional<Manifest> listed = api ? registry.referrers(repository, subject) : Optional.empty();
            // a registry with the API answers for every subject, with an empty list for none: one 404 says it has none
            api = listed.isPresent();
            if (listed.isEmpty() && tags.contains(stem)) {
                listed = Optional.of(registry.manifest(repository, stem));
            }
            listed.filter(index -> !ManifestContents.of(index).manifests().isEmpty()).ifPresent(index -> {
                ManifestContents.of(index).manifests().stream().filter(descriptor -> seen.add(descriptor.digest()))
                        .forEach(descriptor -> found.add(new Referrer(null, registry.manifest(repository, descriptor.digest()))));
                found.add(new Referrer(stem, index));
            });
            COSIGN.stream().map(suffix -> stem + suffix).filter(tags::contains)
                    .forEach(tag -> found.add(new Referrer(tag, registry.manifest(repository, tag))));
        }
        return found;
    }
}
