package io.outpost.content;

import java.util.regex.Pattern;

/** Checks on names that arrive from the other side before they touch a path, a repo or a ref. */
public final class Names {
    /** The outpost's name when the operator gives none ({@code --name}). */
    public static final String DEFAULT_OUTPOST = "outpost";

    private static final Pattern OUTPOST = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    private static final Pattern REPO = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,99}");
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
    private static final Pattern REF_CHARS = Pattern.compile("[A-Za-z0-9._/-]+");
    private static final Pattern IMAGE_REPOSITORY = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

    private Names() {
    }

    /** An outpost's name, which names its key, its queue at the upstream and its folder there. */
    public static String requireOutpost(String outpost) {
        if (outpost == null || !OUTPOST.matcher(outpost).matches() || outpost.contains("..")) {
            throw new IllegalArgumentException("illegal outpost name '" + outpost + "': use lower-case letters, digits, '.', '_' and '-' (at most 63)");
        }
        return outpost;
    }

    public static String requireRepo(String repo) {
        if (repo == null || !REPO.matcher(repo).matches() || repo.contains("..") || repo.endsWith(".lock")) {
            throw new IllegalArgumentException("illegal repo name '" + repo + "': use letters, digits, '.', '_' and '-'");
        }
        return repo;
    }

    /** Only branches and tags cross the link; anything else could overwrite a gateway's own refs. */
    public static String requireRef(String ref) {
        boolean shape = ref != null && (ref.startsWith("refs/heads/") || ref.startsWith("refs/tags/"))
                && REF_CHARS.matcher(ref).matches() && !ref.contains("..") && !ref.contains("//")
                && !ref.endsWith("/") && !ref.endsWith(".lock") && !ref.endsWith(".");
        if (!shape) {
            throw new IllegalArgumentException("illegal ref '" + ref + "': only refs/heads/* and refs/tags/* are synced");
        }
        return ref;
    }

    public static String requireCommit(String id) {
        if (id == null || !COMMIT.matcher(id).matches()) {
            throw new IllegalArgumentException("illegal commit id '" + id + "': expected 40 lowercase hex digits");
        }
        return id;
    }

    public static String requireSha256(String hex) {
        if (hex == null || !hex.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("illegal sha256 '" + hex + "': expected 64 lowercase hex digits");
        }
        return hex;
    }

    /** A registry repository path, as the OCI distribution spec allows it. */
    public static String requireImageRepository(String repository) {
        if (repository == null || repository.length() > 255 || !IMAGE_REPOSITORY.matcher(repository).matches()) {
            throw new IllegalArgumentException("illegal repository '" + repository + "'");
        }
        return repository;
    }

    public static String requireTag(String tag) {
        if (tag == null || !TAG.matcher(tag).matches()) {
            throw new IllegalArgumentException("illegal tag '" + tag + "'");
        }
        return tag;
    }

    public static String requireDigest(String digest) {
        if (digest == null || !DIGEST.matcher(digest).matches()) {
            throw new IllegalArgumentException("illegal digest '" + digest + "': expected sha256:<64 hex digits>");
        }
        return digest;
    }

    /** A Terraform platform, {@code os_arch}. */
    public static String requirePlatform(String platform) {
        if (platform == null || !platform.matches("[a-z0-9]{1,20}_[a-z0-9]{1,20}")) {
            throw new IllegalArgumentException("illegal provider platform '" + platform + "': expected os_arch, e.g. linux_amd64");
        }
        return platform;
    }

    /** A tag or a digest. */
    public static String requireImageReference(String reference) {
        return reference != null && reference.startsWith("sha256:") ? requireDigest(reference) : requireTag(reference);
    }
}
