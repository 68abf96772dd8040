package io.outpost.txrxsim.origin;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import io.outpost.registry.CosignSignatures;
import io.outpost.registry.RegistryClient;
import io.outpost.registry.RegistryCredentials;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutionException;

/**
 * Builds the demo's web-app image with Jib core and pushes it to the origin registry: a base layer and a
 * runtime layer that every release shares, and an app layer that changes with each release, so moving a
 * new release costs one layer. Jib's layers are reproducible, so shared layers keep their digests.
 */
public final class DemoImages {
    public static final String REPOSITORY = "demo/web";

    private final RegistryClient origin;
    private final String registry;
    private final Path workDir;
    private final Optional<RegistryCredentials.Login> login;
    private final DemoImageKey key;

    /**
     * @param origin the origin registry (the client logs in as {@code login} too, for signatures)
     * @param login how Jib logs in to push, for an origin registry with auth
     * @param key what signs each image, as {@code cosign sign --key} would
     */
    public DemoImages(RegistryClient origin, Path workDir, Optional<RegistryCredentials.Login> login, DemoImageKey key) {
        this.origin = origin;
        this.registry = origin.address();
        this.workDir = workDir;
        this.login = login;
        this.key = key;
    }

    public DemoImageKey key() {
        return key;
    }

    /** Builds, pushes and signs release {@code release}; returns the manifest digest. */
    public String build(int release) {
        try {
            Path files = Files.createDirectories(workDir.resolve("files"));
            Path base = content(files.resolve("base.bin"), 1, 2 * 1024 * 1024);
            Path runtime = content(files.resolve("runtime.bin"), 2, 512 * 1024);
            Path app = Files.createDirectories(workDir.resolve("app-" + release));
            Files.writeString(app.resolve("index.html"), "<h1>Outpost demo web, release " + release + "</h1>\n", StandardCharsets.UTF_8);
            content(app.resolve("app.bin"), 1000L + release, 256 * 1024);
            RegistryImage target = RegistryImage.named(ImageReference.parse(registry + "/" + REPOSITORY + ":r" + release));
            login.ifPresent(found -> target.addCredential(found.user(), found.secret()));
            JibContainer container = Jib.fromScratch()
                    .setFormat(ImageFormat.OCI)
                    .addFileEntriesLayer(layer("base", base, "/srv/base.bin"))
                    .addFileEntriesLayer(layer("runtime", runtime, "/srv/runtime.bin"))
                    .addFileEntriesLayer(FileEntriesLayer.builder().setName("app")
                            .addEntry(app.resolve("index.html"), AbsoluteUnixPath.get("/srv/www/index.html"))
                            .addEntry(app.resolve("app.bin"), AbsoluteUnixPath.get("/srv/www/app.bin")).build())
                    .setEntrypoint(List.of("/srv/www/serve"))
                    .addLabel("org.opencontainers.image.version", String.valueOf(release))
                    .containerize(Containerizer.to(target)
                            .setAllowInsecureRegistries(true)
                            .setBaseImageLayersCache(workDir.resolve("cache/base"))
                            .setApplicationLayersCache(workDir.resolve("cache/app"))
                            .setToolName("outpost-demo-origin"));
            String digest = container.getDigest().toString();
            CosignSignatures.sign(origin, REPOSITORY, digest, key.privateKey(), workDir);
            return digest;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot build demo image release " + release, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted building demo image release " + release, e);
        } catch (InvalidImageReferenceException | ExecutionException | com.google.cloud.tools.jib.api.RegistryException
                 | com.google.cloud.tools.jib.api.CacheDirectoryCreationException e) {
            throw new IllegalStateException("cannot build or push demo image release " + release + " to " + registry + ": " + e.getMessage(), e);
        }
    }

    private static FileEntriesLayer layer(String name, Path file, String path) {
        return FileEntriesLayer.builder().setName(name).addEntry(file, AbsoluteUnixPath.get(path)).build();
    }

    /** A file of deterministic pseudo-random bytes, written once. */
    private static Path content(Path file, long seed, int size) throws IOException {
        if (Files.exists(file) && Files.size(file) == size) {
            return file;
        }
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(bytes);
        }
        return file;
    }
}
