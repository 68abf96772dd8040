package io.outpost.gateway.upstream.module;

import io.outpost.content.Digests;
import io.outpost.content.module.ModuleCalls;
import io.outpost.content.module.ModuleSource;
import io.outpost.content.provider.ProviderVersion;
import io.outpost.gateway.upstream.Refusals;
import io.outpost.gateway.upstream.Spool;
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
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
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

    /** A module fetched into the spool, to be sent once everything the request needs is. */
    private record Fetched(ModulePackage pkg, Path body) {
    }

    /**
     * Sends {@code get} and the modules it calls that the outpost does not hold ({@code held}: {@link ModulePackage#key() keys}),
     * called modules before their callers, so a module that arrives finds what it calls; true when all are held or sent.
     */
    public boolean answer(Envelope request, ModuleGet get, Set<String> held) {
        Deque<Map.Entry<ModuleGet, Integer>> todo = new ArrayDeque<>();
        todo.add(Map.entry(get, 0));
        Set<String> seen = new LinkedHashSet<>();
        List<Fetched> fetched = new ArrayList<>();
        try {
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
                Optional<Map<String, String>> tf = fetch(request, get, wanted, held, fetched);
                if (tf.isEmpty()) {
                    return false;
                }
                if (next.getValue() < MAX_DEPTH) {
                    tf.get().values().forEach(text -> ModuleCalls.in(text).forEach(call -> todo.add(Map.entry(
                            new ModuleGet(call.source().toString(), call.versions()), next.getValue() + 1))));
                }
            }
            for (int i = fetched.size() - 1; i >= 0; i--) {
                send(request, fetched.get(i).pkg(), fetched.get(i).body());
            }
            return true;
        } catch (TerraformRegistryException | OriginUnavailableException e) {
            int status = e instanceof TerraformRegistryException registry ? registry.status() : 0;
            refusals.refuse(request, ErrorCode.ofOriginStatus(status), get.subject() + ": " + e.getMessage(), get.subject());
            return false;
        } finally {
            fetched.forEach(module -> spool.delete(module.body()));
        }
    }

    /**
     * Fetches one module into the spool unless held, adding it to {@code fetched}; returns its {@code .tf} files
     * (to follow what it calls), empty when it was refused.
     */
    private Optional<Map<String, String>> fetch(Envelope request, ModuleGet asked, ModuleGet wanted, Set<String> held, List<Fetched> fetched) {
        ModuleSource module = wanted.module();
        Path body = spool.file("module-" + request.id() + "-" + Digests.sha256(wanted.subject().getBytes(StandardCharsets.UTF_8)));
        boolean kept = false;
        try {
            if (module.kind() == ModuleSource.Kind.GIT) {
                ModuleFiles.GitRef ref = files.fetch(module);
                String version = module.ref().isEmpty() ? "HEAD" : module.ref();
                if (!held.contains(module + "@" + version)) {
                    files.bundle(ref, body);
                    fetched.add(new Fetched(new ModulePackage(module.toString(), version, Digests.sha256(body), size(body), Map.of(ref.ref(), ref.commit())),
                            body));
                    kept = true;
                }
                return Optional.of(files.tfFiles(ref));
            }
            ModuleRegistryClient registry = new ModuleRegistryClient(origins.registryOf(module));
            Optional<ProviderVersion> version = wanted.constraint().newest(registry.versions(module));
            if (version.isEmpty()) {
                refusals.refuse(request, ErrorCode.NOT_FOUND, "the origin has no version of module " + module + " matching '" + wanted.versions() + "'"
                        + (wanted.equals(asked) ? "" : " (called by " + asked.subject() + ")"), asked.subject());
                return Optional.empty();
            }
            files.archive(registry.location(module, version.get()), registry, body);
            ModulePackage pkg = new ModulePackage(module.toString(), version.get().toString(), Digests.sha256(body), size(body), Map.of());
            Map<String, String> tf = ModuleFiles.tfFiles(body);
            if (!held.contains(pkg.key())) {
                fetched.add(new Fetched(pkg, body));
                kept = true;
            }
            return Optional.of(tf);
        } finally {
            if (!kept) {
                spool.delete(body);
            }
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
