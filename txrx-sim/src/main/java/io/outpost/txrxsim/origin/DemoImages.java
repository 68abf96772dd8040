package io.outpost.txrxsim.origin;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.Port;
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
 * Builds the demo's web-app image with Jib core and pushes it to the origin registry, tagged {@code r<N>} and
 * {@code latest}: a real small web server, busybox's httpd (this machine's static busybox, Debian's
 * {@code busybox-static}) serving {@code /www}. A base layer (busybox) and an assets layer that every release shares,
 * and a page layer that changes with each release and says its number, so moving a new release costs one layer.
 * Jib's layers are reproducible, so shared layers keep their digests.
 */
public final class DemoImages {
    public static final String REPOSITORY = "demo/web";
    /** The tag that names the newest release: it moves with each one. */
    public static final String LATEST = "latest";
    /** Where the image's httpd listens unless told otherwise: its arguments are {@code -p [ADDRESS:]PORT}. */
    public static final String DEFAULT_LISTEN = "8080";
    /** The server in the image's base layer; it must be statically linked, as nothing else is in the image. */
    public static final Path BUSYBOX = Path.of("/bin/busybox");

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

    /** The page release {@code release}'s server answers with. */
    public static String page(int release) {
        return "<h1>Outpost demo web, release " + release + "</h1>\n";
    }

    /** Builds, pushes and signs release {@code release}; returns the manifest digest. */
    public String build(int release) {
        try {
            Path files = Files.createDirectories(workDir.resolve("files"));
            Path assets = content(files.resolve("assets.bin"), 2, 512 * 1024);
            Path app = Files.createDirectories(workDir.resolve("app-" + release));
            Files.writeString(app.resolve("index.html"), page(release), StandardCharsets.UTF_8);
            content(app.resolve("release.bin"), 1000L + release, 256 * 1024);
            RegistryImage target = RegistryImage.named(ImageReference.parse(registry + "/" + REPOSITORY + ":r" + release));
            login.ifPresent(found -> target.addCredential(found.user(), found.secret()));
            JibContainer container = Jib.fromScratch()
                    .setFormat(ImageFormat.OCI)
                    .addFileEntriesLayer(FileEntriesLayer.builder().setName("busybox")
                            .addEntry(staticBusybox(), AbsoluteUnixPath.get("/bin/busybox"), FilePermissions.fromOctalString("755")).build())
                    .addFileEntriesLayer(layer("assets", assets, "/www/assets/assets.bin"))
                    .addFileEntriesLayer(FileEntriesLayer.builder().setName("page")
                            .addEntry(app.resolve("index.html"), AbsoluteUnixPath.get("/www/index.html"))
                            .addEntry(app.resolve("release.bin"), AbsoluteUnixPath.get("/www/assets/release.bin")).build())
                    .setEntrypoint(List.of("/bin/busybox", "httpd", "-f", "-h", "/www"))
                    .setProgramArguments(List.of("-p", DEFAULT_LISTEN))
                    .addExposedPort(Port.tcp(Integer.parseInt(DEFAULT_LISTEN)))
                    .addLabel("org.opencontainers.image.version", String.valueOf(release))
                    .containerize(Containerizer.to(target)
                            .withAdditionalTag(LATEST)
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

    /** This machine's busybox, when it runs alone in an image: a dynamically linked one names its loader near its start. */
    private static Path staticBusybox() throws IOException {
        if (!Files.isRegularFile(BUSYBOX)) {
            throw new IllegalStateException("the demo's web image is busybox's httpd, and " + BUSYBOX + " is missing: apt-get install busybox-static");
        }
        byte[] head = new byte[4096];
        int read;
        try (java.io.InputStream in = Files.newInputStream(BUSYBOX)) {
            read = in.readNBytes(head, 0, head.length);
        }
        if (new String(head, 0, read, StandardCharsets.ISO_8859_1).contains("/ld-linux")) {
            throw new IllegalStateException(BUSYBOX + " is linked dynamically and cannot run alone in the demo's web image: apt-get install busybox-static");
        }
        return BUSYBOX;
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
