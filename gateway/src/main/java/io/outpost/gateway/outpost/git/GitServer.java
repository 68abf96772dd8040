package io.outpost.gateway.outpost.git;

import com.sun.net.httpserver.HttpExchange;
import io.outpost.content.Tenants;
import io.outpost.protocol.http.LocalHttpServers;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import javax.net.ssl.SSLContext;
import org.eclipse.jgit.lib.Config;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.PacketLineOut;
import org.eclipse.jgit.transport.RefAdvertiser;
import org.eclipse.jgit.transport.TransferConfig;
import org.eclipse.jgit.transport.UploadPack;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outpost's local remotes for every git client there (C git, Flux, Argo CD, a laptop): git's smart
 * HTTP protocol, v0 and v2, read-only, over HTTPS with a certificate from the outpost's internal CA, served
 * by JGit's {@link UploadPack}. {@code /REPO.git} is the outpost's own namespace, {@code /TENANT/REPO.git} a
 * tenant's; basic auth with the namespace's {@link GitReaders user}. Shallow and partial ({@code --filter})
 * fetches are allowed; Outpost's own refs ({@code refs/outpost/...}) are never shown.
 */
public final class GitServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GitServer.class);
    private static final Pattern PATH = Pattern.compile("/(?:([a-z][a-z0-9-]{0,30})/)?([A-Za-z0-9][A-Za-z0-9._-]{0,99})\\.git/(info/refs|git-upload-pack|git-receive-pack)");
    private static final String UPLOAD_PACK = "git-upload-pack";
    private static final TransferConfig TRANSFER = transferConfig();

    private final Map<String, LocalRemotes> namespaces;
    private final GitReaders readers;
    private final String host;
    private LocalHttpServers.Started server;

    private GitServer(Map<String, LocalRemotes> namespaces, GitReaders readers, String host) {
        this.namespaces = Map.copyOf(namespaces);
        this.readers = readers;
        this.host = host;
    }

    /**
     * @param namespaces the local remotes of each namespace, by tenant ({@link Tenants#OUTPOST} for the outpost's own)
     * @param listen the address to listen on (0.0.0.0 for every interface) and port (0 for a free one)
     * @param tls a server context whose certificate names the host clients use
     */
    public static GitServer start(Map<String, LocalRemotes> namespaces, GitReaders readers, InetSocketAddress listen, SSLContext tls) {
        String host = listen.getAddress() == null || listen.getAddress().isAnyLocalAddress() ? "127.0.0.1" : listen.getHostString();
        GitServer git = new GitServer(namespaces, readers, host);
        git.server = LocalHttpServers.https("git-server", "the git server (--git-listen)", listen, tls, git::handle);
        return git;
    }

    /** The base URL: {@code BASE/REPO.git} clones a repo of the outpost's own namespace, {@code BASE/TENANT/REPO.git} a tenant's. */
    public URI url() {
        return URI.create("https://" + host + ":" + server.port() + "/");
    }

    /** Where {@code repo} of {@code tenant} is, relative to {@link #url()}. */
    public static String pathOf(String tenant, String repo) {
        return (Tenants.OUTPOST.equals(tenant) ? "" : Tenants.requireTenant(tenant) + "/") + repo + ".git";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            Matcher path = PATH.matcher(exchange.getRequestURI().getPath());
            if (!path.matches()) {
                LocalHttpServers.respondText(exchange, 404, "not a git repository path: clone " + url() + "REPO.git, or " + url() + "TENANT/REPO.git for a tenant's");
                return;
            }
            String tenant = path.group(1) == null ? Tenants.OUTPOST : path.group(1);
            String repo = path.group(2);
            String service = path.group(3).equals("info/refs") ? query(exchange.getRequestURI(), "service").orElse("") : path.group(3);
            LocalRemotes remotes = namespaces.get(tenant);
            Optional<String> reader = readers.namespaceOf(exchange.getRequestHeaders().getFirst("Authorization"));
            if (reader.isEmpty()) {
                exchange.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"outpost git\", charset=\"UTF-8\"");
                LocalHttpServers.respondText(exchange, 401, "sign in as the namespace's git user (" + GitReaders.userOf(remotes == null ? Tenants.OUTPOST : tenant)
                        + "), its password is in DATA/outpost/git-users/ at the outpost");
                return;
            }
            if (remotes == null || !reader.get().equals(tenant)) {
                LocalHttpServers.respondText(exchange, 403, GitReaders.userOf(reader.get()) + " reads only " + Tenants.describe(reader.get()) + "'s repos");
                return;
            }
            if (!service.equals(UPLOAD_PACK)) {
                LocalHttpServers.respondText(exchange, 403, service.isEmpty() ? "only git's smart HTTP protocol is served (git 1.6.6 or later)"
                        : "read-only: this outpost's repos are filled from upstream over the link; push to the origin instead");
                return;
            }
            Path dir = remotes.pathOf(repo);
            if (!Files.exists(dir.resolve("HEAD"))) {
                LocalHttpServers.respondText(exchange, 404, "this outpost holds no repo '" + repo + "' in " + Tenants.describe(tenant)
                        + " (it holds " + remotes.repos() + "); sync or subscribe it first");
                return;
            }
            try (Repository repository = new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().setMustExist(true).build()) {
                UploadPack upload = uploadPack(repository, exchange.getRequestHeaders().getFirst("Git-Protocol"));
                if (path.group(3).equals("info/refs")) {
                    advertise(exchange, upload);
                } else {
                    upload(exchange, upload);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("git server failed on {}: {}", exchange.getRequestURI(), e.toString());
            throw e;
        }
    }

    private static UploadPack uploadPack(Repository repository, String protocol) {
        UploadPack upload = new UploadPack(repository);
        upload.setTransferConfig(TRANSFER);
        upload.setBiDirectionalPipe(false);
        upload.setRefFilter(refs -> {
            Map<String, org.eclipse.jgit.lib.Ref> shown = new LinkedHashMap<>(refs);
            shown.keySet().removeIf(name -> name.startsWith("refs/outpost/"));
            return shown;
        });
        if (protocol != null) {
            upload.setExtraParameters(Arrays.asList(protocol.split(":")));
        }
        return upload;
    }

    private static void advertise(HttpExchange exchange, UploadPack upload) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/x-" + UPLOAD_PACK + "-advertisement");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            PacketLineOut lines = new PacketLineOut(out);
            upload.sendAdvertisedRefs(new RefAdvertiser.PacketLineOutRefAdvertiser(lines), UPLOAD_PACK);
            lines.flush();
        }
    }

    private static void upload(HttpExchange exchange, UploadPack upload) throws IOException {
        if (!exchange.getRequestMethod().equals("POST")) {
            LocalHttpServers.respondText(exchange, 405, UPLOAD_PACK + " takes a POST");
            return;
        }
        exchange.getResponseHeaders().set("Content-Type", "application/x-" + UPLOAD_PACK + "-result");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        InputStream body = skipsByReading(exchange.getRequestBody());
        try (InputStream in = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding")) ? new GZIPInputStream(body) : body;
             OutputStream out = exchange.getResponseBody()) {
            upload.upload(in, out, null);
        }
    }

    /**
     * The JDK's request body stream inherits {@code skip} from {@link FilterInputStream}, which skips on the
     * connection itself, past the body's end, and blocks there; UploadPack skips to the end of a stateless
     * request, so skip by reading.
     */
    private static InputStream skipsByReading(InputStream body) {
        return new FilterInputStream(body) {
            @Override
            public long skip(long n) throws IOException {
                byte[] buffer = new byte[8192];
                long skipped = 0;
                while (skipped < n) {
                    int read = read(buffer, 0, (int) Math.min(buffer.length, n - skipped));
                    if (read < 0) {
                        break;
                    }
                    skipped += read;
                }
                return skipped;
            }
        };
    }

    private static Optional<String> query(URI uri, String name) {
        String query = uri.getRawQuery();
        if (query == null) {
            return Optional.empty();
        }
        return Arrays.stream(query.split("&")).filter(pair -> pair.startsWith(name + "=")).map(pair -> pair.substring(name.length() + 1)).findFirst();
    }

    private static TransferConfig transferConfig() {
        Config config = new Config();
        config.setBoolean("uploadpack", null, "allowfilter", true);
        return new TransferConfig(config);
    }

    @Override
    public void close() {
        server.close();
    }
}
