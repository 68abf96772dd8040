package io.outpost.gateway.upstream.git;

import io.outpost.content.Names;
import io.outpost.content.RefPatterns;
import io.outpost.data.DurableFiles;
import io.outpost.gateway.git.NamedRefs;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.internal.storage.pack.PackWriter;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.storage.pack.PackConfig;
import org.eclipse.jgit.transport.BundleWriter;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The upstream gateway's copies of origin repos, under {@code DATA/upstream/mirrors/<repo>.git}:
 * refreshed from the origin with JGit before each answer, and the source of thin packs that hold
 * only the commits an outpost lacks.
 */
public final class OriginMirrors {
    private final Path root;
    private final Clock clock;
    /** When each repo's last fetch that completed began: what it answers for. */
    private final Map<String, Instant> fetchedAsOf = new ConcurrentHashMap<>();
    private final Map<String, Object> fetching = new ConcurrentHashMap<>();
    private final AtomicLong fetches = new AtomicLong();

    public OriginMirrors(Path root) {
        this(root, Clock.systemUTC());
    }

    public OriginMirrors(Path root, Clock clock) {
        this.root = root;
        this.clock = clock;
    }

    /**
     * As {@link #refresh(String, URIish)}, unless a fetch that began at or after {@code asOf} has completed: the mirror then
     * already holds everything the origin had at {@code asOf}. So one fetch answers every outpost of a fleet that asked (or
     * was polled for) before it began; a fetch under way is waited for, not run beside. An {@code asOf} ahead of this
     * site's clock (the other site's runs fast) counts as now.
     */
    public void refresh(String repo, URIish origin, Instant asOf) {
        synchronized (fetching.computeIfAbsent(repo, name -> new Object())) {
            Instant began = clock.instant();
            Instant fetched = fetchedAsOf.get(repo);
            if (fetched != null && !fetched.isBefore(asOf.isAfter(began) ? began : asOf)) {
                return;
            }
            refresh(repo, origin);
            fetchedAsOf.put(repo, began);
        }
    }

    /** Fetches from origins since this gateway started. */
    public long fetches() {
        return fetches.get();
    }

    /**
     * Fetches branches and tags of the origin into the mirror, and points the mirror's HEAD where the
     * origin's points (its default branch); throws {@link OriginUnavailableException}.
     */
    public void refresh(String repo, URIish origin) {
        fetches.incrementAndGet();
        try {
            // upstream gateways sharing the data directory fetch into a mirror one at a time (git's own ref locks would fail the second)
            DurableFiles.exclusively(root.resolve(".fetching").resolve(Names.requireRepo(repo)), () -> {
                fetch(repo, origin);
                return null;
            });
        } catch (IOException | GeneralSecurityException e) {
            throw new OriginUnavailableException("cannot lock the mirror of " + repo + " under " + root + " to fetch into it: " + e.getMessage(), e);
        }
    }

    private void fetch(String repo, URIish origin) {
        try (Repository mirror = open(repo); Git git = new Git(mirror)) {
            FetchResult fetched = git.fetch().setRemote(origin.toString())
                    .setRefSpecs(new RefSpec("+refs/heads/*:refs/heads/*"), new RefSpec("+refs/tags/*:refs/tags/*"))
                    .setRemoveDeletedRefs(true)
                    .call();
            Ref head = fetched.getAdvertisedRef(Constants.HEAD);
            if (head != null && head.isSymbolic() && !head.getTarget().getName().equals(mirror.getFullBranch())) {
                mirror.updateRef(Constants.HEAD).link(head.getTarget().getName());
            }
        } catch (GitAPIException | IOException e) {
            throw new OriginUnavailableException("cannot fetch " + repo + " from its origin " + origin + ": " + e.getMessage(), e);
        }
    }

    /** The origin's default branch as last fetched, when the mirror has it. */
    public Optional<String> head(String repo) {
        try (Repository mirror = open(repo)) {
            Ref head = mirror.exactRef(Constants.HEAD);
            return head != null && head.isSymbolic() && head.getObjectId() != null ? Optional.of(head.getTarget().getName()) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read mirror of " + repo, e);
        }
    }

    /**
     * Tips of the branches and tags {@code patterns} name ({@link RefPatterns}) that {@code allowed} (patterns
     * too) lets out; refs the mirror does not have are left out.
     */
    public Map<String, String> tips(String repo, List<String> patterns, List<String> allowed) {
        try (Repository mirror = open(repo)) {
            Map<String, String> tips = NamedRefs.tips(mirror, patterns, false);
            tips.keySet().removeIf(ref -> !RefPatterns.anyMatches(allowed, ref));
            return tips;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read mirror of " + repo, e);
        }
    }

    /**
     * Writes to {@code out} a thin pack of the {@code tips} that differ from {@code haves}: only the objects
     * the outpost lacks, deltas against the objects of every have the mirror knows. Empty when nothing differs.
     * A pack, not a bundle: the answer names the tips and the outpost knows its haves, so a bundle's header
     * would repeat both (about 160 bytes, a fifth of a small update).
     */
    public Optional<Map<String, String>> writePack(String repo, Map<String, String> tips, Map<String, String> haves, Path out) {
        Map<String, String> changed = changed(tips, haves);
        if (changed.isEmpty()) {
            return Optional.empty();
        }
        try (Repository mirror = open(repo); RevWalk walk = new RevWalk(mirror); OutputStream stream = Files.newOutputStream(out)) {
            Set<ObjectId> want = new HashSet<>();
            changed.values().forEach(commit -> want.add(ObjectId.fromString(commit)));
            Set<ObjectId> have = assumed(mirror, walk, haves);
            writePack(mirror, want, have, stream);
            return Optional.of(changed);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write pack of " + repo, e);
        }
    }

    /**
     * An update searches deltas afresh: the mirror keeps what each fetch brought as the origin sent it, the
     * bases of its thin packs appended whole, and reusing that stored form sent an update at 5 to 10 x its size.
     * A first sync (no haves) reuses what is stored, which is as small and far cheaper for a large repo.
     */
    private static void writePack(Repository mirror, Set<ObjectId> want, Set<ObjectId> have, OutputStream stream) throws IOException {
        PackConfig config = new PackConfig(mirror);
        config.setReuseDeltas(have.isEmpty());
        config.setReuseObjects(have.isEmpty());
        try (PackWriter pack = new PackWriter(config, mirror.newObjectReader())) {
            pack.setIndexDisabled(true);
            pack.setDeltaBaseAsOffset(true);
            pack.setThin(!have.isEmpty());
            pack.preparePack(NullProgressMonitor.INSTANCE, want, have);
            pack.writePack(NullProgressMonitor.INSTANCE, NullProgressMonitor.INSTANCE, stream);
        }
    }

    /** Writes to {@code out} a whole git bundle of {@code tips}, for what is kept as a whole (a module's source) rather than applied to a repo. */
    public void writeBundle(String repo, Map<String, String> tips, Path out) {
        try (Repository mirror = open(repo); OutputStream stream = Files.newOutputStream(out)) {
            BundleWriter bundle = new BundleWriter(mirror);
            tips.forEach((ref, commit) -> bundle.include(ref, ObjectId.fromString(commit)));
            bundle.writeBundle(NullProgressMonitor.INSTANCE, stream);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write bundle of " + repo, e);
        }
    }

    private static Map<String, String> changed(Map<String, String> tips, Map<String, String> haves) {
        Map<String, String> changed = new LinkedHashMap<>(tips);
        changed.entrySet().removeIf(tip -> tip.getValue().equals(haves.get(tip.getKey())));
        return changed;
    }

    /** The commits of {@code haves} the mirror knows; a tag the outpost holds stands for the commit it names. */
    private static Set<ObjectId> assumed(Repository mirror, RevWalk walk, Map<String, String> haves) throws IOException {
        Set<ObjectId> commits = new HashSet<>();
        for (String have : haves.values()) {
            ObjectId id = ObjectId.fromString(Names.requireCommit(have));
            if (mirror.getObjectDatabase().has(id) && walk.peel(walk.parseAny(id)) instanceof RevCommit commit) {
                commits.add(commit.getId());
            }
        }
        return commits;
    }

    /**
     * The text of the files at {@code commit} whose path {@code wanted} accepts, by path; files over
     * {@code maxBytes} are skipped (configs are small; anything that big is not one).
     */
    public Map<String, String> files(String repo, String commit, Predicate<String> wanted, long maxBytes) {
        Map<String, String> files = new TreeMap<>();
        try (Repository mirror = open(repo); RevWalk walk = new RevWalk(mirror); TreeWalk tree = new TreeWalk(mirror)) {
            tree.addTree(walk.parseCommit(ObjectId.fromString(Names.requireCommit(commit))).getTree());
            tree.setRecursive(true);
            while (tree.next()) {
                if (wanted.test(tree.getPathString())) {
                    ObjectLoader loader = mirror.open(tree.getObjectId(0));
                    if (loader.getSize() <= maxBytes) {
                        files.put(tree.getPathString(), new String(loader.getBytes(), StandardCharsets.UTF_8));
                    }
                }
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + commit + " of " + repo, e);
        }
    }

    /** Writes the tree at {@code commit} to {@code out} as a tar.gz (what a module registry serves), streamed. */
    public void writeTarGz(String repo, String commit, Path out) {
        try (Repository mirror = open(repo); RevWalk walk = new RevWalk(mirror); TreeWalk tree = new TreeWalk(mirror);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(Files.newOutputStream(out)))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tree.addTree(walk.parseCommit(ObjectId.fromString(Names.requireCommit(commit))).getTree());
            tree.setRecursive(true);
            while (tree.next()) {
                FileMode mode = tree.getFileMode(0);
                if (mode != FileMode.REGULAR_FILE && mode != FileMode.EXECUTABLE_FILE) {
                    continue;
                }
                ObjectLoader loader = mirror.open(tree.getObjectId(0));
                TarArchiveEntry entry = new TarArchiveEntry(tree.getPathString());
                entry.setSize(loader.getSize());
                entry.setMode(mode == FileMode.EXECUTABLE_FILE ? 0755 : 0644);
                tar.putArchiveEntry(entry);
                loader.copyTo(tar);
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot archive " + commit + " of " + repo, e);
        }
    }

    private Repository open(String repo) throws IOException {
        Path dir = root.resolve(Names.requireRepo(repo) + ".git");
        Repository repository = new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build();
        if (!Files.exists(dir.resolve("HEAD"))) {
            repository.create(true);
        }
        return repository;
    }
}
