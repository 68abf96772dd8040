package io.outpost.gateway.upstream.git;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.revwalk.RevCommit;

/** A real git repo standing in for an origin, with commits made on demand. */
final class OriginRepo implements AutoCloseable {
    private final Git git;
    private final Random random = new Random(42);
    private int commits;

    OriginRepo(Path dir) throws GitAPIException {
        this.git = Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
    }

    Path dir() {
        return git.getRepository().getWorkTree().toPath();
    }

    /** A commit changing one file with a kilobyte of fresh content. */
    String commit() throws IOException, GitAPIException {
        commits++;
        byte[] content = new byte[1024];
        random.nextBytes(content);
        Files.writeString(dir().resolve("file-" + commits + ".txt"), java.util.HexFormat.of().formatHex(content));
        git.add().addFilepattern(".").call();
        RevCommit commit = git.commit().setMessage("commit " + commits).setSign(false).call();
        return commit.name();
    }

    /** Rewrites main to a different history: what a force-push upstream looks like. */
    String rewriteLast() throws IOException, GitAPIException {
        git.reset().setMode(org.eclipse.jgit.api.ResetCommand.ResetType.HARD).setRef("HEAD~1").call();
        Files.writeString(dir().resolve("rewritten.txt"), "rewritten");
        git.add().addFilepattern(".").call();
        return git.commit().setMessage("rewritten").setSign(false).call().name();
    }

    @Override
    public void close() {
        git.close();
    }
}
