package io.outpost.content;


/**
 * An image reference split the way registries see it: {@code registry/repository[:tag][@digest]}; the one
 * parser of image references. Docker's defaults apply ({@link #parse(String)}): no registry means docker.io,
 * and a one-part docker.io name is under library/; no tag or digest means latest.
 *
 * @param registry the registry's host[:port], or null for a reference as a registry serves it, whichever that is ({@link #ofRepository})
 */
public record ImageRef(String registry, String repository, String tag, String digest) {
    public static final String DOCKER_HUB = "docker.io";

    public ImageRef {
        Names.requireImageRepository(repository);
        if (tag != null) {
            Names.requireTag(tag);
        }
        if (digest != null) {
            Names.requireDigest(digest);
        }
    }

    public static ImageRef parse(String text) {
        return parse(text, DOCKER_HUB);
    }

    /**
     * A reference as the registry that serves it names it ({@code team/web:1.4}, as a config or an allowlist
     * writes it): no registry means no defaulting to docker.io; a registry host in it is kept.
     */
    public static ImageRef ofRepository(String text) {
        return parse(text, null);
    }

    private static ImageRef parse(String text, String defaultRegistry) {
        String rest = text.trim();
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
        }
        String registry = defaultRegistry;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                registry = first;
                rest = rest.substring(slash + 1);
            }
        }
        if (DOCKER_HUB.equals(registry) && !rest.contains("/")) {
            rest = "library/" + rest;
        }
        if (tag == null && digest == null) {
            tag = "latest";
        }
        return new ImageRef(registry, rest, tag, digest);
    }

    /** What a registry resolves: the digest when pinned, else the tag. */
    public String reference() {
        return digest != null ? digest : tag;
    }

    /** The same image at another registry: how the outpost's copy is named. */
    public ImageRef at(String otherRegistry) {
        return new ImageRef(otherRegistry, repository, tag, digest);
    }

    @Override
    public String toString() {
        return (registry == null ? "" : registry + "/") + repository + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }
}
