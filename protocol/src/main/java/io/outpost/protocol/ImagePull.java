package io.outpost.protocol;

import io.outpost.content.ImageRef;
import io.outpost.content.Names;
import java.util.List;

/**
 * Outpost asks for the image {@code repository} at {@code reference} (tag or digest) for
 * {@code platform}: os/arch[/variant], several of them comma-separated, {@code all} for every platform of a multi-arch
 * index, or empty for the platforms the upstream is set to ({@code --platforms}); {@code haveBlobs}
 * are the blob digests its registry already holds, so only the others are sent. The outpost sends them as
 * {@code holdings} ({@link Holdings}, as a {@link GitSync} does) and leaves the list empty; upstream fills it
 * from its ledger ({@link #withHaveBlobs}).
 */
public record ImagePull(String repository, String reference, String platform, List<String> haveBlobs, Holdings holdings) {
    /** What an upstream serves when neither it (--platforms) nor the config chooses. */
    public static final String DEFAULT_PLATFORM = "linux/amd64";
    public static final String ALL_PLATFORMS = "all";
    private static final String PLATFORM = "[a-z0-9]+/[a-z0-9]+(/[a-z0-9]+)?";

    public ImagePull {
        Names.requireImageRepository(repository);
        Names.requireImageReference(reference);
        platform = String.join(",", platformsOf(platform));
        haveBlobs = List.copyOf(haveBlobs == null ? List.of() : haveBlobs);
        haveBlobs.forEach(Names::requireDigest);
    }

    public ImagePull(String repository, String reference, String platform, List<String> haveBlobs) {
        this(repository, reference, platform, haveBlobs, null);
    }

    /** The platforms asked for: empty for the upstream's own, {@code [all]} for every one. */
    public List<String> platforms() {
        return platformsOf(platform);
    }

    /** {@code text} (os/arch[/variant], several comma-separated, {@code all}; null or empty for none) as a list, checked. */
    public static List<String> platformsOf(String text) {
        String compact = text == null ? "" : text.replace(" ", "");
        if (compact.isEmpty()) {
            return List.of();
        }
        if (!compact.equals(ALL_PLATFORMS) && !compact.matches(PLATFORM + "(," + PLATFORM + ")*")) {
            throw new IllegalArgumentException("illegal platform '" + text + "': expected os/arch[/variant], several comma-separated, or 'all'");
        }
        return List.of(compact.split(","));
    }

    /** This pull with the blobs the outpost holds listed, as upstream's ledger resolved them. */
    public ImagePull withHaveBlobs(List<String> blobs) {
        return new ImagePull(repository, reference, platform, blobs, null);
    }

    /** The image as workers and ready events name it: repository:tag or repository@digest. */
    public String subject() {
        return subject(repository, reference);
    }

    public static String subject(String repository, String reference) {
        return repository + (reference.startsWith("sha256:") ? "@" : ":") + reference;
    }

    /** A pull of the image named by {@code subject} (repository:tag or repository@digest) for the upstream's platforms. */
    public static ImagePull ofSubject(String subject) {
        return of(ImageRef.ofRepository(subject));
    }

    /** A pull of {@code image} as its registry serves it, for {@code platform} (empty for the upstream's platforms). */
    public static ImagePull of(ImageRef image, String platform) {
        return new ImagePull(image.repository(), image.reference(), platform, List.of());
    }

    public static ImagePull of(ImageRef image) {
        return of(image, "");
    }
}
