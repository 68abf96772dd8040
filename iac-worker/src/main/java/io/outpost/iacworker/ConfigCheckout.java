package io.outpost.iacworker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.ResetCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;

/**
 * The worker's checkout of a stack's config, fetched with JGit from the outpost's local remote only.
 * Terraform's own files (state, plan, .terraform) live beside the config and are ignored by git.
 */
public final class ConfigCheckout {
    private final Path localRemote;
    private final String ref;
    private final Path dir;

    public ConfigCheckout(Path localRemote, String ref, Path dir) {
        this.localRemote = localRemote;
        this.ref = ref;
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** The commit the local remote holds for the ref, if any. */
    public Optional<String> localHead() {
        if (!Files.exists(localRemote.resolve("HEAD"))) {
            return Optional.empty();
        }
        try (Repository remote = new FileRepositoryBuilder().setGitDir(localRemote.toFile()).setBare().build()) {
            Ref found = remote.exactRef(ref);
            return Optional.ofNullable(found).map(Ref::getObjectId).map(ObjectId::name);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read local remote " + localRemote, e);
        }
    }

    /** When {@code commit} was made at the origin (its committer time). */
    public Instant commitTime(String commit) {
        try (Repository repo = new FileRepositoryBuilder().setGitDir(dir.resolve(".git").toFile()).build();
             RevWalk walk = new RevWalk(repo)) {
            return walk.parseCommit(ObjectId.fromString(commit)).getCommitterIdent().getWhenAsInstant();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read commit " + commit + " in " + dir, e);
        }
    }

    /** Fetches {@code commit} from the local remote and makes the checkout exactly that commit. */
    public void checkout(String commit) {
        try (Git git = open()) {
            git.fetch().setRemote(localRemote.toUri().toString())
                    .setRefSpecs(new RefSpec("+" + ref + ":refs/remotes/local/" + ref.substring("refs/".length())))
                    .call();
            git.reset().setMode(ResetCommand.ResetType.HARD).setRef(commit).call();
        } catch (GitAPIException | IOException e) {
            throw new IllegalStateException("cannot check out " + commit + " from " + localRemote + ": " + e.getMessage(), e);
        }
    }

    private Git open() throws IOException, GitAPIException {
        if (Files.exists(dir.resolve(".git"))) {
            return Git.open(dir.toFile());
        }
        Files.createDirectories(dir);
        return Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
    }
}
