package io.outpost.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * One site's folder, {@code DATA/<site>}: what both sites keep (keys, TLS, the broker and its users, the
 * link's transfers and seen frames), what only the outpost keeps (the provider mirror, imports, tenants'
 * namespaces) and what only the upstream keeps (the spool, origin mirrors, subscriptions).
 */
public record SiteData(Path dir) {
    public static final String TENANTS = "tenants";

    /** The site's Ed25519 key pair; the other sites' public keys it trusts are under {@code trusted/}. */
    public Path keys() {
        return dir.resolve("keys");
    }

    /** The site's internal CA and the certificates it issued. */
    public Path tls() {
        return dir.resolve("tls");
    }

    /** The PKCS#12 trust store with the site's CA, for TLS clients of its broker. */
    public Path brokerTrustStore() {
        return tls().resolve("ca-trust.p12");
    }

    /** The broker's journal, bindings, paging and large messages. */
    public Path broker() {
        return dir.resolve("broker");
    }

    public Path brokerUsers() {
        return dir.resolve("broker-users");
    }

    /** The random password of broker user {@code user}, readable by its owner only. */
    public Path brokerPassword(String user) {
        return brokerUsers().resolve(user + ".password");
    }

    /** Outpost: the random password of {@code user} of its git server, readable by its owner only. */
    public Path gitPassword(String user) {
        return dir.resolve("git-users").resolve(user + ".password");
    }

    /** Frames this site accepted within the replay window, so a replay is refused after a restart. */
    public Path seenFrames() {
        return dir.resolve("seen-frames.log");
    }

    /** When this site last accepted a frame from the other (the file's modification time, kept to within a few seconds). */
    public Path lastHeard() {
        return dir.resolve("last-heard");
    }

    /** Transfers this site is receiving, chunk by chunk. */
    public Path transfersIn() {
        return dir.resolve("transfers");
    }

    /** Bodies this site sends, kept until the receiver has all of them. */
    public Path transfersOut() {
        return dir.resolve("outgoing");
    }

    /** The local registry's storage when Outpost runs the registry process itself (the demo). */
    public Path registry() {
        return dir.resolve("registry");
    }

    /** Outpost: what its network link needs of the upstream it joined (the upstream's CA, the link user's password, its address). */
    public Path upstreamLink() {
        return dir.resolve("upstream-link");
    }

    /** Outpost: the provider mirror, in Terraform's packed layout. */
    public Path providers() {
        return dir.resolve("providers");
    }

    /**
     * Outpost: the module mirror, one for every namespace: registry modules under
     * {@code registry/HOSTNAME/NAMESPACE/NAME/SYSTEM/}, git modules as bare repos under {@code git/}.
     */
    public Path modules() {
        return dir.resolve("modules");
    }

    /** Outpost: the module mirror's registry modules, a directory per registry hostname (which the worker's CLI config points at the mirror). */
    public Path moduleRegistries() {
        return modules().resolve("registry");
    }

    /** Outpost: the git config that points git modules' URLs at the module mirror's repos, for terraform's git. */
    public Path moduleGitConfig() {
        return modules().resolve("gitconfig");
    }

    /** Outpost: archives from removable media being unpacked and checked. */
    public Path imports() {
        return dir.resolve("import");
    }

    /** Outpost: the namespace of {@code tenant}, a name already checked, or the outpost's own for the empty name. */
    public NamespaceData namespace(String tenant) {
        return new NamespaceData(tenant.isEmpty() ? dir : dir.resolve(TENANTS).resolve(tenant));
    }

    /** Outpost: the folder holding every tenant's namespace. */
    public Path tenants() {
        return dir.resolve(TENANTS);
    }

    /** Upstream: blobs and packages read from origins on their way to the link. */
    public Path spool() {
        return dir.resolve("spool");
    }

    /** Upstream: bare mirrors of the origins' git repos. */
    public Path mirrors() {
        return dir.resolve("mirrors");
    }

    /** Upstream: bare mirrors of the git repos of the modules it serves. */
    public Path moduleMirrors() {
        return dir.resolve("module-mirrors");
    }

    /** Messages that arrived whole and wait for a local cause (registry down, disk full) to clear before they are applied. */
    public Path deferred() {
        return dir.resolve("deferred");
    }

    /** Upstream: its ledgers of what each namespace of the outpost holds. */
    public Path ledgers() {
        return dir.resolve("ledgers");
    }

    /** Upstream: the outposts of its fleet, one file each ({@code outpost fleet add}), read by the running upstream gateway. */
    public Path fleet() {
        return dir.resolve("fleet");
    }

    /**
     * Upstream: the folder of one outpost of its fleet, a name already checked: its link's transfers, seen frames and
     * deferred messages, its ledgers and its subscriptions. Origin mirrors, the origin cache and the keys stay the site's.
     */
    public SiteData outpost(String outpost) {
        return new SiteData(dir.resolve("outposts").resolve(outpost));
    }

    /** Upstream: the folders of the outposts it served, by name. */
    public List<SiteData> outposts() {
        Path all = dir.resolve("outposts");
        if (!Files.isDirectory(all)) {
            return List.of();
        }
        try (Stream<Path> folders = Files.list(all)) {
            return folders.filter(Files::isDirectory).sorted().map(SiteData::new).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the outposts' folders in " + all, e);
        }
    }

    /** Upstream: what it fetched from origins once for the whole fleet, by digest. */
    public Path originCache() {
        return dir.resolve("origin-cache");
    }

    /** Upstream: the outposts' push subscriptions. */
    public Path subscriptions() {
        return dir.resolve("subscriptions");
    }

    /** The folder, as operators read it in messages. */
    @Override
    public String toString() {
        return dir.toString();
    }
}
