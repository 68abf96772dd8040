package io.outpost.content.module;

import io.outpost.content.Digests;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a {@code module} block's {@code source} says the module comes from, for the kinds Outpost moves: a
 * module registry ({@code [HOSTNAME/]NAMESPACE/NAME/SYSTEM}, the public registry when no hostname is
 * given) or git ({@code git::URL?ref=REF}). Local paths ({@code ./modules/x}) come with the config; other
 * kinds (plain archives, buckets) are not moved. A {@code //SUBDIR} is a path inside the module and moves
 * with it.
 *
 * @param address a registry module's {@code HOSTNAME/NAMESPACE/NAME/SYSTEM}, or a git module's URL
 * @param ref a git module's {@code ?ref=} (empty for the default branch); empty for a registry module
 */
public record ModuleSource(Kind kind, String address, String ref) {
    public static final String PUBLIC_REGISTRY = "registry.terraform.io";
    private static final Pattern PART = Pattern.compile("[0-9A-Za-z](?:[0-9A-Za-z_-]{0,62}[0-9A-Za-z])?");
    private static final Pattern HOST = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+(:[0-9]{1,5})?");
    private static final Pattern REF = Pattern.compile("[A-Za-z0-9._/-]{1,200}");

    public enum Kind { REGISTRY, GIT }

    public ModuleSource {
        if (kind == Kind.REGISTRY) {
            String[] parts = address.split("/");
            if (parts.length != 4 || !HOST.matcher(parts[0]).matches() || !PART.matcher(parts[1]).matches() || !PART.matcher(parts[2]).matches()
                    || !PART.matcher(parts[3]).matches()) {
                throw new IllegalArgumentException("illegal registry module '" + address + "': expected HOSTNAME/NAMESPACE/NAME/SYSTEM");
            }
            address = parts[0].toLowerCase(Locale.ROOT) + "/" + parts[1] + "/" + parts[2] + "/" + parts[3].toLowerCase(Locale.ROOT);
            ref = "";
        } else {
            URI url = URI.create(address);
            if (!"https".equals(url.getScheme()) && !"http".equals(url.getScheme()) && !"file".equals(url.getScheme())) {
                throw new IllegalArgumentException("git module '" + address + "': Outpost moves git modules over https, http or file URLs");
            }
            if (ref == null || (!ref.isEmpty() && (!REF.matcher(ref).matches() || ref.contains("..")))) {
                throw new IllegalArgumentException("illegal git ref '" + ref + "' of module '" + address + "'");
            }
        }
    }

    /** The module a {@code source} names, when it is one Outpost moves; a malformed one is not a module it can move either. */
    public static Optional<ModuleSource> parse(String source) {
        if (source == null || source.startsWith("./") || source.startsWith("../") || source.startsWith("/")) {
            return Optional.empty();
        }
        try {
            if (source.startsWith("git::")) {
                String url = source.substring("git::".length());
                String ref = "";
                int query = url.indexOf('?');
                if (query >= 0) {
                    Matcher named = Pattern.compile("(?:^|&)ref=([^&]*)").matcher(url.substring(query + 1));
                    ref = named.find() ? URLDecoder.decode(named.group(1), StandardCharsets.UTF_8) : "";
                    url = url.substring(0, query);
                }
                return Optional.of(new ModuleSource(Kind.GIT, withoutSubdir(url), ref));
            }
            if (source.contains("::") || source.contains(":/")) {
                return Optional.empty();
            }
            String path = withoutSubdir(source);
            String[] parts = path.split("/");
            if (parts.length == 3 && !parts[0].contains(".")) {
                return Optional.of(new ModuleSource(Kind.REGISTRY, PUBLIC_REGISTRY + "/" + path, ""));
            }
            if (parts.length == 4) {
                return Optional.of(new ModuleSource(Kind.REGISTRY, path, ""));
            }
            return Optional.empty();
        } catch (IllegalArgumentException notOneWeMove) {
            return Optional.empty();
        }
    }

    /** A module's own source, without the {@code //SUBDIR} inside it (after a URL's {@code scheme://}). */
    private static String withoutSubdir(String source) {
        int scheme = source.indexOf("://");
        int subdir = source.indexOf("//", scheme < 0 ? 0 : scheme + 3);
        return subdir < 0 ? source : source.substring(0, subdir);
    }

    /** A registry module's hostname. */
    public String hostname() {
        return kind == Kind.REGISTRY ? address.substring(0, address.indexOf('/')) : URI.create(address).getHost();
    }

    /**
     * The name of a git module's repo in a gateway's module mirror: its URL's host and path made safe as a
     * repo name, with a short hash of the whole URL so that two URLs never share one.
     */
    public String repoName() {
        URI url = URI.create(address);
        String readable = ((url.getHost() == null ? "" : url.getHost()) + url.getPath()).replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^[-.]+|\\.git$", "");
        String hash = Digests.sha256(address.getBytes(StandardCharsets.UTF_8)).substring(0, 12);
        return (readable.length() > 80 ? readable.substring(0, 80) : readable) + "-" + hash;
    }

    /** How messages name it: {@code HOSTNAME/NAMESPACE/NAME/SYSTEM}, or {@code git::URL[?ref=REF]}. */
    @Override
    public String toString() {
        return kind == Kind.REGISTRY ? address : "git::" + address + (ref.isEmpty() ? "" : "?ref=" + ref);
    }
}
