package io.outpost.registry;

import java.util.regex.Pattern;

/**
 * An image reference split the way registries see it: {@code registry/repository[:tag][@digest]}.
 * Docker's defaults apply: no registry means docker.io, and a one-part docker.io name is under library/.
 */
public record ImageRef(String registry, String repository, String tag, String digest) {
    private static final Pattern REPOSITORY = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    public static final String DOCKER_HUB = "docker.io";

    public ImageRef {
        requireRepository(repository);
        if (tag != null && !TAG.matcher(tag).matches()) {
            throw new IllegalArgumentException("illegal tag '" + tag + "'");
        }
        if (digest != null && !DIGEST.matcher(digest).matches()) {
            throw new IllegalArgumentException("illegal digest '" + digest + "': expected sha256:<64 hex digits>");
        }
    }

    public static ImageRef parse(String text) {
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
        String registry = DOCKER_HUB;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                registry = first;
                rest = rest.substring(slash + 1);
            }
        }
        if (registry.equals(DOCKER_HUB) && !rest.contains("/")) {
            rest = "library/" + rest;
        }
        if (tag == null && digest == null) {
            tag = "latest";
        }
        return new ImageRef(registry, rest, tag, digest);
    }

    public static String requireRepository(String repository) {
        if (repository == null || repository.length() > 255 || !REPOSITORY.matcher(repository).matches()) {
            throw new IllegalArgumentException("illegal repository '" + repository + "'");
        }
        return repository;
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
        return registry + "/" + repository + (tag == null ? "" : ":" + tag) + (digest == null ? "" : "@" + digest);
    }
}
