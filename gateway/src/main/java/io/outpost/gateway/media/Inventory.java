package io.outpost.gateway.media;

import io.outpost.content.Names;
import io.outpost.content.RefPatterns;
import io.outpost.content.Tenants;
import io.outpost.data.DurableFiles;
import io.outpost.protocol.GitSync;
import io.outpost.protocol.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an outpost holds, written at the outpost ({@code outpost inventory}) and carried to the upstream,
 * which exports an archive of exactly what is missing ({@code outpost export --for}). Each repo is the sync
 * request the outpost would have sent over the link.
 *
 * @param tenant whose namespace it describes ({@link Tenants#OUTPOST}, or absent, for the outpost's own)
 * @param blobs the image blob digests of the outpost's registry
 * @param providers the provider packages of its mirror
 * @param modules the modules of its module mirror (absent in an inventory written before modules moved: none)
 */
public record Inventory(String format, String outpost, String tenant, Instant createdAt, List<Repo> repos, List<String> blobs, List<String> providers,
                        List<String> modules) {
    public static final String FORMAT = "outpost-inventory/1";
    private static final long MAX_BYTES = 64L * 1024 * 1024;

    /** A repo the outpost holds or wants: the refs it follows and their tips there (none yet: empty). */
    public record Repo(String repo, List<String> refs, Map<String, String> tips) {
        public Repo {
            Names.requireRepo(repo);
            refs = List.copyOf(refs);
            refs.forEach(RefPatterns::require);
            tips = Map.copyOf(tips == null ? Map.of() : tips);
            tips.values().forEach(Names::requireCommit);
        }
    }

    public Inventory {
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException("not an Outpost inventory (format '" + format + "', expected '" + FORMAT + "')");
        }
        Objects.requireNonNull(outpost, "outpost");
        tenant = Tenants.requireTenantOrOutpost(tenant == null ? Tenants.OUTPOST : tenant);
        Objects.requireNonNull(createdAt, "createdAt");
        repos = List.copyOf(repos);
        blobs = List.copyOf(blobs);
        blobs.forEach(Names::requireDigest);
        providers = List.copyOf(providers);
        modules = List.copyOf(modules == null ? List.of() : modules);
    }

    /** The sync requests the outpost would have sent for its repos. */
    public List<GitSync> syncs() {
        return repos.stream().map(repo -> new GitSync(repo.repo(), repo.refs(), repo.tips(), blobs, providers, modules)).toList();
    }

    public void write(Path file) {
        try {
            DurableFiles.writeAtomically(file.toAbsolutePath(), Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(this));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public static Inventory read(Path file) {
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new IllegalArgumentException(file + " is over " + MAX_BYTES + " bytes: not an inventory");
            }
            return Json.MAPPER.readValue(file.toFile(), Inventory.class);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + " is not a readable Outpost inventory: " + e.getMessage(), e);
        }
    }
}
