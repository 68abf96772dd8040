package io.outpost.gateway.upstream.image;

import io.outpost.content.Globs;
import io.outpost.protocol.ImagePull;
import io.outpost.registry.RegistryClient;
import io.outpost.registry.RegistryCredentials;
import io.outpost.registry.RegistryEndpoint;
import io.outpost.registry.SignaturePolicy;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The registry repositories this upstream serves, as {@link Globs} each with its origin registry. First match wins; anything
 * unmatched is refused. One client per origin registry, logged in from {@code credentials}, keeps its tokens between pulls.
 */
public final class ImageOrigins {
    private final Map<Pattern, RegistryClient> origins = new LinkedHashMap<>();
    private SignaturePolicy signatures = SignaturePolicy.none();
    private List<String> platforms = List.of(ImagePull.DEFAULT_PLATFORM);

    /** A repository as the origin names it, and the client that reaches it. */
    public record Origin(RegistryClient registry, String repository) {
    }

    /** Anonymous origins, or as their URLs log in. */
    public ImageOrigins(Map<String, RegistryEndpoint> globs) {
        this(globs, RegistryCredentials.none());
    }

    public ImageOrigins(Map<String, RegistryEndpoint> globs, RegistryCredentials credentials) {
        Map<RegistryEndpoint, RegistryClient> clients = new LinkedHashMap<>();
        globs.forEach((glob, endpoint) -> origins.put(Globs.compile(glob),
                clients.computeIfAbsent(endpoint, registry -> new RegistryClient(registry, credentials))));
    }

    /** The same origins, each image checked against {@code policy} before anything of it is sent. */
    public ImageOrigins requiring(SignaturePolicy policy) {
        this.signatures = policy;
        return this;
    }

    public SignaturePolicy signatures() {
        return signatures;
    }

    /** The same origins, a multi-arch image moved for {@code chosen} (os/arch, or {@code all}) unless its pull or config says. */
    public ImageOrigins platforms(List<String> chosen) {
        List<String> checked = ImagePull.platformsOf(String.join(",", chosen));
        if (checked.isEmpty()) {
            throw new IllegalArgumentException("--platforms needs at least one os/arch, or 'all'");
        }
        this.platforms = checked;
        return this;
    }

    public List<String> platforms() {
        return platforms;
    }

    public static ImageOrigins none() {
        return new ImageOrigins(Map.of());
    }

    public boolean serves(String repository) {
        return originOf(repository).isPresent();
    }

    /** Where {@code repository} (as configs at the outpost name it) comes from; on Docker Hub {@code nginx} is {@code library/nginx}. */
    public Optional<Origin> originOf(String repository) {
        return origins.entrySet().stream().filter(entry -> entry.getKey().matcher(repository).matches()).map(Map.Entry::getValue).findFirst()
                .map(registry -> new Origin(registry, registry.endpoint().dockerHub() && !repository.contains("/") ? "library/" + repository : repository));
    }
}
