package io.outpost.gateway.outpost.image;

import io.outpost.content.Names;
import io.outpost.data.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Multi-arch indexes the local registry would not hold (it lacks their other platforms: Distribution 2.8 takes no sparse
 * index), kept verbatim by digest, and the tags that name them; the {@link RegistryFront} serves them.
 */
public final class KeptIndexes {
    private final Path dir;

    public KeptIndexes(Path dir) {
        this.dir = dir;
    }

    public void keep(String digest, byte[] bytes) {
        try {
            Files.createDirectories(dir);
            DurableFiles.writeAtomically(indexFile(digest), bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep index " + digest, e);
        }
    }

    /** {@code tag} of {@code repository} (as the registry names it, namespace and all) names the kept index {@code digest}. */
    public void tag(String repository, String tag, String digest) {
        try {
            Files.createDirectories(tagFile(repository, tag).getParent());
            DurableFiles.writeAtomically(tagFile(repository, tag), Names.requireDigest(digest).getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep tag " + repository + ":" + tag, e);
        }
    }

    /** A later answer put {@code tag} in the registry itself: it no longer names a kept index. */
    public void untag(String repository, String tag) {
        try {
            Files.deleteIfExists(tagFile(repository, tag));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot drop kept tag " + repository + ":" + tag, e);
        }
    }

    public Optional<byte[]> index(String digest) {
        Path file = indexFile(digest);
        try {
            return Files.exists(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read kept index " + digest, e);
        }
    }

    /** The kept index {@code tag} names, if it names one. */
    public Optional<String> tagged(String repository, String tag) {
        Path file = tagFile(repository, tag);
        try {
            return Files.exists(file) ? Optional.of(Files.readString(file).strip()) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read kept tag " + repository + ":" + tag, e);
        }
    }

    private Path indexFile(String digest) {
        return dir.resolve(Names.requireDigest(digest).replace(':', '-') + ".json");
    }

    private Path tagFile(String repository, String tag) {
        return dir.resolve("tags").resolve(URLEncoder.encode(repository, StandardCharsets.UTF_8)).resolve(Names.requireTag(tag));
    }
}
