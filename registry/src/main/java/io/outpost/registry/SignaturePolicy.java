package io.outpost.registry;

import io.outpost.content.Globs;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Which images must be signed, and by whom: per repository glob, the cosign public keys one of which must have signed the
 * image's digest (the digest its reference names: for a multi-arch image, the index). The first glob that matches
 * decides; a repository no glob matches needs no signature. Checked at the upstream before anything of the image is
 * sent, and at the outpost before its manifests are put.
 */
public final class SignaturePolicy {
    private final Map<String, List<PublicKey>> byGlob;
    private final Map<Pattern, String> globs = new LinkedHashMap<>();

    public SignaturePolicy(Map<String, List<PublicKey>> byGlob) {
        this.byGlob = new LinkedHashMap<>();
        byGlob.forEach((glob, keys) -> {
            if (keys.isEmpty()) {
                throw new IllegalArgumentException("the signature policy for '" + glob + "' names no key");
            }
            this.byGlob.put(glob, List.copyOf(keys));
            globs.put(Globs.compile(glob), glob);
        });
    }

    public static SignaturePolicy none() {
        return new SignaturePolicy(Map.of());
    }

    /** From {@code GLOB=KEYFILE} entries (a glob given twice accepts either key), as the gateways' {@code --image-policy} gives them. */
    public static SignaturePolicy fromEntries(List<String> entries) {
        Map<String, List<PublicKey>> keys = new LinkedHashMap<>();
        for (String entry : entries) {
            int equals = entry.indexOf('=');
            if (equals < 1 || equals == entry.length() - 1) {
                throw new IllegalArgumentException("--image-policy '" + entry + "': expected GLOB=KEYFILE (a cosign.pub)");
            }
            keys.computeIfAbsent(entry.substring(0, equals), glob -> new ArrayList<>()).add(CosignSignatures.readKey(Path.of(entry.substring(equals + 1))));
        }
        return new SignaturePolicy(keys);
    }

    public boolean isEmpty() {
        return byGlob.isEmpty();
    }

    /**
     * Why {@code repository@digest} may not go where this policy holds, or empty when it may.
     *
     * @param signatures the image's cosign signature manifest ({@link CosignSignatures#tagOf}), null when it has none
     * @param held the repository of {@code registry} that holds the signature's payloads
     */
    public Optional<String> refusal(String repository, String digest, Manifest signatures, RegistryClient registry, String held) {
        Optional<String> glob = globs.entrySet().stream().filter(entry -> entry.getKey().matcher(repository).matches()).map(Map.Entry::getValue).findFirst();
        return glob.flatMap(matched -> CosignSignatures.refusal(signatures, digest, byGlob.get(matched), registry, held)
                .map(why -> repository + "@" + digest + " is not signed as the signature policy for '" + matched + "' requires: " + why));
    }

    /** What the policy holds, for the start line. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        byGlob.forEach((glob, keys) -> parts.add(glob + " (" + keys.size() + (keys.size() == 1 ? " key)" : " keys)")));
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }
}
