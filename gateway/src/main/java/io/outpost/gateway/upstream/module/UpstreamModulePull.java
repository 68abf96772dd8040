package io.outpost.gateway.upstream.module;

import io.outpost.content.Digests;
import io.outpost.content.module.ModuleCalls;
import io.outpost.content.module.ModuleSource;
import io.outpost.content.provider.ProviderVersion;
import io.outpost.gateway.upstream.Refusals;
import io.outpost.gateway.upstream.Spool;
import io.outpost.gateway.upstream.TerraformRegistry;
import io.outpost.gateway.upstream.TerraformRegistryException;
import io.outpost.gateway.upstream.git.OriginMirrors;
import io.outpost.gateway.upstream.git.OriginUnavailableException;
import io.outpost.link.Outbox;
import io.outpost.protocol.Envelope;
import io.outpost.protocol.ErrorCode;
import io.outpost.protocol.MessageTypes;
import io.outpost.protocol.Messages;
import io.outpost.protocol.ModuleGet;
import io.outpost.protocol.ModulePackage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers an outpost's {@link ModuleGet}: resolves a registry module's newest version the constraint accepts
 * (or a git module's ref) at its origin, gets its files ({@link ModuleFiles}), and sends it with every module
 * its {@code .tf} files call in turn, each once, less what the outpost holds; each body is sent with the sha256
 * the outpost checks. A module off the allowlist, or missing at its origin, is refused and nothing of it is sent.
 */
public final class UpstreamModulePull {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamModulePull.class);
    /** How deep modules calling modules are followed; deeper calls are a loop or a mistake. */
    private static final int MAX_DEPTH = 8;

    private final ModuleOrigins origins;
    private final ModuleFiles files;
    private final Outbox outbox;
    private final Refusals refusals;
    private final Spool spool;
    private final Clock clock;

    public UpstreamModulePull(ModuleOrigins origins, OriginMirrors gitMirrors, Outbox outbox, Spool spool, Clock clock) {
        this.origins = origins;
        this.files = new ModuleFiles(gitMirrors);
        this.outbox = outbox;
        this.refusals = new Refusals(outbox, clock);
        this.spool = spool;
        this.clock = clock;
    }

    public void answer(Envelope request) {
        answer(request, Messages.read(request, ModuleGet.class), Set.of());
    }

    /** Sends {@code get} and the modules it calls that the outpost does not hold ({@code held}: {@link ModulePackage#key() keys}); true when all are held or sent. */
    public boolean answer(Envelope request, ModuleGet get, Set<String> held) {
        Deque<Map.Entry<ModuleGet, Integer>> todo = new ArrayDeque<>();
        todo.add(Map.entry(get, 0));
        Set<String> seen = new LinkedHashSet<>();
        while (!todo.isEmpty()) {
            Map.Entry<ModuleGet, Integer> next = todo.poll();
            ModuleGet wanted = next.getKey();
            if (!seen.add(wanted.subject())) {
                continue;
            }
            if (!origins.allows(wanted.module())) {
                refusals.refuse(request, ErrorCode.FORBIDDEN, "module '" + wanted.module().address() + "'" + (wanted.equals(get) ? "" : " (called by "
                        + get.subject() + ")") + " is not on this upstream's module allowlist", get.subject());
                return false;
            }
            try {
                Optional<Map<String, String>> tf = send(request, wanted, held);
                if (tf.isEmpty()) {
                    return false;
                }
                if (next.getValue() < MAX_DEPTH) {
                    tf.get().values().forEach(text -> ModuleCalls.in(text).forEach(call -> todo.add(Map.entry(
                            new ModuleGet(call.source().toString(), call.versions()), next.getValue() + 1))));
                }
            } catch (TerraformRegistryException e) {
                refusals.refuse(request, e.status() == 404 ? ErrorCode.NOT_FOUND : ErrorCode.ORIGIN_UNAVAILABLE, wanted.subject() + ": " + e.getMessage(),
                        get.subject());
                return false;
            } catch (OriginUnavailableException e) {
                refusals.refuse(request, ErrorCode.ORIGIN_UNAVAILABLE, wanted.subject() + ": " + e.getMessage(), get.subject());
                return false;
            }
        }
        return true;
    }

    /** Sends one module unless held; returns its {@code .tf} files (to follow what it calls), empty when it was refused. */
    private Optional<Map<String, String>> send(Envelope request, ModuleGet wanted, Set<String> held) {
        ModuleSource module = wanted.module();
        Path body = spool.file("module-" + request.id() + "-" + Digests.sha256(wanted.subject().getBytes(StandardCharsets.UTF_8)));
        try {
            if (module.kind() == ModuleSource.Kind.GIT) {
                ModuleFiles.GitRef ref = files.fetch(module);
                String version = module.ref().isEmpty() ? "HEAD" : module.ref();
                if (!held.contains(module + "@" + version)) {
                    files.bundle(ref, body);
                    send(request, new ModulePackage(module.toString(), version, Digests.sha256(body), size(body), Map.of(ref.ref(), ref.commit())), body);
                }
                return Optional.of(files.tfFiles(ref));
            }
            TerraformRegistry http = new TerraformRegistry(origins.registryOf(module));
            ModuleRegistryClient registry = new ModuleRegistryClient(origins.registryOf(module));
            Optional<ProviderVersion> version = wanted.constraint().newest(registry.versions(module));
            if (version.isEmpty()) {
                refusals.refuse(request, ErrorCode.NOT_FOUND, "the origin has no version of module " + module + " matching '" + wanted.versions() + "'",
                        wanted.subject());
                return Optional.empty();
            }
            files.archive(registry.location(module, version.get()), http, body);
            ModulePackage pkg = new ModulePackage(module.toString(), version.get().toString(), Digests.sha256(body), size(body), Map.of());
            if (!held.contains(pkg.key())) {
                send(request, pkg, body);
            }
            return Optional.of(ModuleFiles.tfFiles(body));
        } finally {
            spool.delete(body);
        }
    }

    private void send(Envelope request, ModulePackage pkg, Path body) {
        if (outbox.sending(MessageTypes.MODULE_PACKAGE, "sha256", pkg.sha256())) {
            LOG.info("module {} is already on its way to the outpost; not sent twice", pkg.key());
            return;
        }
        outbox.send(request.reply(MessageTypes.MODULE_PACKAGE, Messages.headers(pkg), null, clock.instant()), body, pkg.sha256());
    }

    private static long size(Path file) {
        return file.toFile().length();
    }
}
