package io.outpost.protocol;

import io.outpost.content.ImageRef;
import io.outpost.content.Names;
import java.util.List;

/**
 * Outpost asks for the image {@code repository} at {@code reference} (tag or digest) for
 * {@code platform} (os/arch, or {@code all} for every platform of a multi-arch index); {@code haveBlobs}
 * are the blob digests its registry already holds, so only the others are sent. The outpost sends them as
 * {@code holdings} ({@link Holdings}, as a {@link GitSync} does) and leaves the list empty; upstream fills it
 * from its ledger ({@link #withHaveBlobs}).
 */
public record ImagePull(String repository, String reference, String platform, List<String> haveBlobs, Holdings holdings) {
    public static final String DEFAULT_PLATFORM = "linux/amd64";
    public static final String ALL_PLATFORMS = "all";

    public ImagePull {
        Names.requireImageRepository(repository);
        Names.requireImageReference(reference);
        platform = platform == null || platform.isBlank() ? DEFAULT_PLATFORM : platform;
        if (!platform.equals(ALL_PLATFORMS) && !platform.matches("[a-z0-9]+/[a-z0-9]+(/[a-z0-9]+)?")) {
            throw new IllegalArgumentException("illegal platform '" + platform + "': expected os/arch[/variant]");
        }
        haveBlobs = List.copyOf(haveBlobs == null ? List.of() : haveBlobs);
        haveBlobs.forEach(Names::requireDigest);
    }

    public ImagePull(String repository, String reference, String platform, List<String> haveBlobs) {
        this(repository, reference, platform, haveBlobs, null);
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

    /** A pull of the image named by {@code subject} (repository:tag or repository@digest) for the default platform. */
    public static ImagePull ofSubject(String subject) {
        return of(ImageRef.ofRepository(subject));
    }

    /** A pull of {@code image} as its registry serves it, for the default platform. */
    public static ImagePull of(ImageRef image) {
        return new ImagePull(image.repository(), image.reference(), DEFAULT_PLATFORM, List.of());
    }
}
