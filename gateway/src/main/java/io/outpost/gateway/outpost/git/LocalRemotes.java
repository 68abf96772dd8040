package io.outpost.gateway.outpost.git;

import io.outpost.content.Names;
import io.outpost.gateway.git.NamedRefs;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectChecker;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.ObjectWalk;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevObject;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.FetchResult;
import org.eclipse.jgit.transport.PackParser;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.TransportBundleStream;
import org.eclipse.jgit.transport.URIish;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outpost's local git remote: bare repos under {@code DATA/outpost/git/<repo>.git} that workers
 * fetch from. An update's objects are checked as they are parsed, its tips compared with those the answer
 * announced and walked to what is already held, and only then moved onto branches and tags, fast-forward only. A forced
 * upstream update is kept under {@code refs/outpost/forced/} and logged, never applied.
 */
public final class LocalRemotes {
    private static final Logger LOG = LoggerFactory.getLogger(LocalRemotes.class);
    private static final String INCOMING = "refs/outpost/incoming/";
    private static final String FORCED = "refs/outpost/forced/";
    private static final byte[] PACK_SIGNATURE = {'P', 'A', 'C', 'K'};

    private final Path root;
    private final Clock clock;

    public LocalRemotes(Path root, Clock clock) {
        this.root = root;
        this.clock = clock;
    }

    public Path pathOf(String repo) {
        return root.resolve(Names.requireRepo(repo) + ".git");
    }

    /** The repos this local remote holds. */
    public List<String> repos() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.map(dir -> dir.getFileName().toString()).filter(name -> name.endsWith(".git"))
                    .map(name -> name.substring(0, name.length() - ".git".length())).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root, e);
        }
    }

    /**
     * Current tips of the branches and tags {@code patterns} name ({@link RefPatterns}; the default branch
     * is where HEAD points); refs the local remote does not have are left out.
     */
    public Map<String, String> tips(String repo, List<String> patterns) {
        return refs(repo, patterns, false);
    }

    /**
     * What a request for {@code patterns} tells upstream the outpost has: their tips and, when it asks for
     * the default branch, every local branch (the default may have moved to one of them), so a bundle holds
     * only the commits it lacks.
     */
    public Map<String, String> haves(String repo, List<String> patterns) {
        return refs(repo, patterns, true);
    }

    private Map<String, String> refs(String repo, List<String> patterns, boolean everyBranchForHead) {
        if (!Files.isDirectory(pathOf(repo))) {
            return Map.of();
        }
        try (Repository repository = open(repo)) {
            return NamedRefs.tips(repository, patterns, everyBranchForHead);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read local repo " + repo, e);
        }
    }

    /** Points HEAD at the origin's default branch {@code head} once the local remote has it, so a plain clone checks it out. */
    public void followHead(String repo, String head) {
        if (head.isEmpty() || !Files.isDirectory(pathOf(repo))) {
            return;
        }
        try (Repository repository = open(repo)) {
            if (repository.exactRef(head) != null && !head.equals(repository.getFullBranch())) {
                repository.updateRef(Constants.HEAD).link(head);
                LOG.info("HEAD of local remote {} now points at {}, the origin's default branch", repo, head);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot point HEAD of local repo " + repo + " at " + head, e);
        }
    }

    /**
     * Verifies and applies an update: a thin pack (what upstream sends) or a git bundle (what older upstreams
     * sent, and what may still wait in a journal). Throws {@link BundleRejectedException} and leaves branches
     * and tags untouched when it is damaged, lacks objects, or does not end at {@code expectedTips}.
     */
    public BundleApplied apply(String repo, Path update, Map<String, String> expectedTips, String head) {
        try (Repository repository = open(repo)) {
            Map<String, ObjectId> incoming = isPack(update) ? receivePack(repository, update, expectedTips) : fetchBundle(repository, update);
            List<String> moved = new ArrayList<>();
            List<String> forced = new ArrayList<>();
            try (RevWalk walk = new RevWalk(repository)) {
                for (Map.Entry<String, String> tip : expectedTips.entrySet()) {
                    String ref = Names.requireRef(tip.getKey());
                    ObjectId arrived = incoming.get(ref);
                    if (arrived == null || !arrived.name().equals(tip.getValue())) {
                        throw new BundleRejectedException("update for " + repo + " does not carry " + ref + " at " + tip.getValue());
                    }
                    if (fastForward(repository, walk, ref, arrived)) {
                        moved.add(ref);
                    } else {
                        forced.add(ref);
                    }
                }
            }
            followHead(repo, head);
            return new BundleApplied(tips(repo, List.copyOf(expectedTips.keySet())), moved, forced);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot apply update to local repo " + repo, e);
        }
    }

    private static boolean isPack(Path update) throws IOException {
        try (InputStream in = Files.newInputStream(update)) {
            return Arrays.equals(in.readNBytes(PACK_SIGNATURE.length), PACK_SIGNATURE);
        }
    }

    /**
     * Parses the pack into the object database, checking every object and completing thin deltas from what
     * is held, then walks from each tip to what the branches and tags already reach: the tips are what
     * arrived only when nothing between is missing.
     */
    private static Map<String, ObjectId> receivePack(Repository repository, Path pack, Map<String, String> tips) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(pack)); ObjectInserter inserter = repository.newObjectInserter()) {
            PackParser parser = inserter.newPackParser(in);
            parser.setAllowThin(true);
            parser.setObjectChecker(new ObjectChecker());
            parser.setCheckEofAfterPackFooter(true);
            parser.parse(NullProgressMonitor.INSTANCE);
            inserter.flush();
        } catch (MissingObjectException e) {
            throw new BundleRejectedException("the local remote lacks " + e.getObjectId().name() + ", which the pack builds on", e);
        } catch (IOException e) {
            throw new BundleRejectedException("pack is not usable: " + e.getMessage(), e);
        }
        Map<String, ObjectId> arrived = new LinkedHashMap<>();
        try (ObjectWalk walk = new ObjectWalk(repository)) {
            for (Map.Entry<String, String> tip : tips.entrySet()) {
                ObjectId id = ObjectId.fromString(Names.requireCommit(tip.getValue()));
                if (!repository.getObjectDatabase().has(id)) {
                    throw new BundleRejectedException("pack does not carry " + tip.getKey() + " at " + id.name());
                }
                walk.markStart(walk.parseAny(id));
                arrived.put(tip.getKey(), id);
            }
            for (Ref held : repository.getRefDatabase().getRefsByPrefix(Constants.R_HEADS, Constants.R_TAGS)) {
                walk.markUninteresting(walk.parseAny(held.getObjectId()));
            }
            while (walk.next() != null) {
                // commits are parsed as they are walked; a missing one throws
            }
            for (RevObject object = walk.nextObject(); object != null; object = walk.nextObject()) {
                if (!walk.getObjectReader().has(object)) {
                    throw new MissingObjectException(object, object.getType());
                }
            }
        } catch (MissingObjectException e) {
            throw new BundleRejectedException("the local remote lacks " + e.getObjectId().name() + ", which the pack's tips need", e);
        }
        return arrived;
    }

    /** Fetches a bundle into a quarantine namespace with object checks on; returns the refs it carried. */
    private static Map<String, ObjectId> fetchBundle(Repository repository, Path bundle) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(bundle));
             Transport transport = new TransportBundleStream(repository, new URIish().setPath(bundle.toString()), in)) {
            transport.setCheckFetchedObjects(true);
            FetchResult result = transport.fetch(NullProgressMonitor.INSTANCE, List.of(
                    new RefSpec("+refs/heads/*:" + INCOMING + "heads/*"),
                    new RefSpec("+refs/tags/*:" + INCOMING + "tags/*")));
            for (Ref advertised : result.getAdvertisedRefs()) {
                if (!advertised.getName().startsWith("refs/heads/") && !advertised.getName().startsWith("refs/tags/")) {
                    throw new BundleRejectedException("bundle advertises " + advertised.getName() + ": only branches and tags are accepted");
                }
            }
            Map<String, ObjectId> arrived = new LinkedHashMap<>();
            for (Ref ref : repository.getRefDatabase().getRefsByPrefix(INCOMING)) {
                arrived.put("refs/" + ref.getName().substring(INCOMING.length()), ref.getObjectId());
            }
            return arrived;
        } catch (TransportException e) {
            throw new BundleRejectedException("bundle is not usable: " + e.getMessage(), e);
        } catch (org.eclipse.jgit.api.errors.JGitInternalException e) {
            throw new BundleRejectedException("bundle is not usable: " + e.getMessage(), e);
        } finally {
            clearQuarantine(repository);
        }
    }

    private boolean fastForward(Repository repository, RevWalk walk, String ref, ObjectId incoming) throws IOException {
        Ref current = repository.exactRef(ref);
        RevCommit target = walk.parseCommit(incoming);
        if (current != null && !walk.isMergedInto(walk.parseCommit(current.getObjectId()), target)) {
            String kept = FORCED + ref.substring("refs/".length()) + "/" + clock.millis();
            update(repository, kept, incoming, null);
            LOG.warn("upstream moved {} from {} to {} without fast-forward; kept as {}, local ref unchanged",
                    ref, current.getObjectId().name(), incoming.name(), kept);
            return false;
        }
        update(repository, ref, incoming, current == null ? ObjectId.zeroId() : current.getObjectId());
        return true;
    }

    private static void update(Repository repository, String ref, ObjectId to, ObjectId expectedOld) throws IOException {
        RefUpdate update = repository.updateRef(ref);
        update.setNewObjectId(to);
        if (expectedOld != null) {
            update.setExpectedOldObjectId(expectedOld);
        }
        RefUpdate.Result result = update.update();
        switch (result) {
            case NEW, FAST_FORWARD, NO_CHANGE -> { }
            default -> throw new IOException("ref update of " + ref + " failed: " + result);
        }
    }

    private static void clearQuarantine(Repository repository) throws IOException {
        for (Ref ref : repository.getRefDatabase().getRefsByPrefix(INCOMING)) {
            RefUpdate delete = repository.updateRef(ref.getName());
            delete.setForceUpdate(true);
            delete.delete();
        }
    }

    private Repository open(String repo) throws IOException {
        Path dir = pathOf(repo);
        Repository repository = new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build();
        if (!Files.exists(dir.resolve("HEAD"))) {
            repository.create(true);
        }
        return repository;
    }
}
