package io.outpost.txrxsim.origin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.TreeFormatter;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;

/**
 * The demo's authoritative git repo of Terraform config ({@code DATA/upstream/origin/git/<repo>.git}):
 * a bare repo whose {@code main} gains one commit per release. Picks up the release it was at when
 * started again on the same directory.
 */
public final class DemoOrigin {
    public static final String BRANCH = "refs/heads/main";
    /** The container that runs the release at an outpost that names a container engine for the config. */
    public static final String CONTAINER = "outpost-demo-web";
    /** The config's input variables for that: the engine ({@code podman} or {@code docker}) and where the release's server listens. */
    public static final String ENGINE_VARIABLE = "container_engine";
    public static final String LISTEN_VARIABLE = "web_listen";
    private static final Pattern RELEASE = Pattern.compile("release = (\\d+)");

    private final Path dir;
    private final DemoImages images;
    private final Clock clock;

    /** @param images builds each release's image; null for a demo without images */
    public DemoOrigin(Path dir, DemoImages images, Clock clock) {
        this.dir = dir;
        this.images = images;
        this.clock = clock;
    }

    public Path dir() {
        return dir;
    }

    /** The current release, creating the repo with release 1 if it does not exist. */
    public synchronized Release current() {
        try (Repository repo = open()) {
            Ref main = repo.exactRef(BRANCH);
            if (main == null) {
                return commit(repo, 1, null, "", Map.of());
            }
            try (RevWalk walk = new RevWalk(repo)) {
                RevCommit head = walk.parseCommit(main.getObjectId());
                return new Release(releaseIn(repo, head), head.name(), head.getCommitterIdent().getWhenAsInstant());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read demo origin " + dir, e);
        }
    }

    /** Commits the next release on {@code main}. */
    public synchronized Release publishNext() {
        return publishNext(Map.of());
    }

    /** Commits the next release on {@code main} with {@code extraFiles} (path to content) beside the config. */
    public synchronized Release publishNext(Map<String, String> extraFiles) {
        Release current = current();
        try (Repository repo = open(); RevWalk walk = new RevWalk(repo)) {
            RevCommit head = walk.parseCommit(ObjectId.fromString(current.commit()));
            return commit(repo, current.number() + 1, head, fileIn(repo, head, "CHANGELOG.md"), extraFiles);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot publish a release in demo origin " + dir, e);
        }
    }

    private Release commit(Repository repo, int release, RevCommit parent, String changelog, Map<String, String> extraFiles) throws IOException {
        try (ObjectInserter inserter = repo.newObjectInserter()) {
            TreeFormatter tree = new TreeFormatter();
            String image = images == null ? null : DemoImages.REPOSITORY + "@" + images.build(release);
            // git orders a tree's entries by name
            Map<String, String> files = new TreeMap<>(DemoConfig.files(release, image, DemoConfig.changelogEntry(release) + changelog));
            files.putAll(extraFiles);
            for (Map.Entry<String, String> file : files.entrySet()) {
                tree.append(file.getKey(), FileMode.REGULAR_FILE,
                        inserter.insert(Constants.OBJ_BLOB, file.getValue().getBytes(StandardCharsets.UTF_8)));
            }
            PersonIdent author = new PersonIdent("Outpost demo origin", "origin@outpost.invalid", clock.instant(), clock.getZone());
            CommitBuilder commit = new CommitBuilder();
            commit.setTreeId(inserter.insert(tree));
            commit.setAuthor(author);
            commit.setCommitter(author);
            commit.setMessage("Release " + release + "\n");
            if (parent != null) {
                commit.setParentId(parent);
            }
            ObjectId id = inserter.insert(commit);
            inserter.flush();
            RefUpdate update = repo.updateRef(BRANCH);
            update.setNewObjectId(id);
            update.setExpectedOldObjectId(parent == null ? ObjectId.zeroId() : parent);
            RefUpdate.Result result = update.update();
            if (result != RefUpdate.Result.NEW && result != RefUpdate.Result.FAST_FORWARD) {
                throw new IOException("could not move " + BRANCH + ": " + result);
            }
            return new Release(release, id.name(), author.getWhenAsInstant());
        }
    }

    private static int releaseIn(Repository repo, RevCommit commit) throws IOException {
        Matcher matcher = RELEASE.matcher(fileIn(repo, commit, "release.tf"));
        if (!matcher.find()) {
            throw new IOException("release.tf of " + commit.name() + " names no release");
        }
        return Integer.parseInt(matcher.group(1));
    }

    private static String fileIn(Repository repo, RevCommit commit, String path) throws IOException {
        try (TreeWalk walk = TreeWalk.forPath(repo, path, commit.getTree())) {
            if (walk == null) {
                return "";
            }
            return new String(repo.open(walk.getObjectId(0)).getBytes(), StandardCharsets.UTF_8);
        }
    }

    private Repository open() throws IOException {
        Repository repo = new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build();
        if (!Files.exists(dir.resolve("HEAD"))) {
            Files.createDirectories(dir);
            repo.create(true);
            RefUpdate head = repo.updateRef(Constants.HEAD);
            head.link(BRANCH);
        }
        return repo;
    }
}
