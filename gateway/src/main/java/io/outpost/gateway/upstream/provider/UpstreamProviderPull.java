package io.outpost.gateway.upstream.provider;

import io.outpost.content.provider.PackageHashes;
import io.outpost.content.provider.ProviderAddress;
import io.outpost.content.provider.ProviderVersion;
import io.outpost.gateway.upstream.OriginCache;
import io.outpost.gateway.upstream.Refusals;
import io.outpost.gateway.upstream.Spool;
import io.outpost.gateway.upstream.TerraformRegistryException;
import io.outpost.link.Outbox;
import io.outpost.protocol.Envelope;
import io.outpost.protocol.ErrorCode;
import io.outpost.protocol.MessageTypes;
import io.outpost.protocol.Messages;
import io.outpost.protocol.ProviderGet;
import io.outpost.protocol.ProviderPackage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers an outpost's {@link ProviderGet}: picks the newest version the constraint accepts that the
 * origin registry has for every asked platform, downloads each package, checks it against the origin's
 * SHA256SUMS (and that file's OpenPGP signature, where the origin publishes one) and download metadata, and only when every package checks out sends them, each with its
 * {@code zh:} and {@code h1:} hashes. A package that does not match is refused and nothing is sent.
 */
public final class UpstreamProviderPull {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamProviderPull.class);

    private final ProviderOrigins origins;
    private final Outbox outbox;
    private final Refusals refusals;
    private final Spool spool;
    private final OriginCache cache;
    private final Clock clock;

    public UpstreamProviderPull(ProviderOrigins origins, Outbox outbox, Spool spool, OriginCache cache, Clock clock) {
        this.cache = cache;
        this.origins = origins;
        this.outbox = outbox;
        this.refusals = new Refusals(outbox, clock);
        this.spool = spool;
        this.clock = clock;
    }

    /** A package downloaded and checked, waiting in the spool. */
    private record Checked(ProviderPackage pkg, Path file) {
    }

    public void answer(Envelope request) {
        answer(request, Messages.read(request, ProviderGet.class), Set.of());
    }

    /**
     * Sends the packages of {@code pull} that the outpost does not hold ({@code held}: their
     * {@link ProviderPackage#key() keys}) as answers to {@code request}; true when it holds or was sent all.
     */
    public boolean answer(Envelope request, ProviderGet pull, Set<String> held) {
        ProviderAddress provider = pull.address();
        if (!origins.allows(provider)) {
            refusals.refuse(request, ErrorCode.FORBIDDEN, "provider '" + provider + "' is not on this upstream's allowlist", pull.subject());
            return false;
        }
        ProviderRegistryClient registry = new ProviderRegistryClient(origins.registryOf(provider));
        List<Checked> checked = new ArrayList<>();
        try {
            List<ProviderRegistryClient.Release> releases = registry.versions(provider);
            Optional<ProviderVersion> version = pull.constraint().newest(releases.stream()
                    .filter(release -> release.platforms().containsAll(pull.platforms())).map(ProviderRegistryClient.Release::version).toList());
            if (version.isEmpty()) {
                refusals.refuse(request, ErrorCode.NOT_FOUND, "the origin has no version of " + provider + " matching '" + pull.versions()
                        + "' for " + pull.platforms() + " (it has " + releases.stream().map(r -> r.version() + " " + r.platforms()).toList() + ")",
                        pull.subject());
                return false;
            }
            for (String platform : pull.platforms()) {
                if (held.contains(ProviderPackage.key(provider.toString(), version.get().toString(), platform))) {
                    continue;
                }
                Optional<String> mismatch = download(registry, provider, version.get(), platform, request.id(), checked);
                if (mismatch.isPresent()) {
                    refusals.refuse(request, ErrorCode.CHECKSUM_MISMATCH, mismatch.get(), pull.subject());
                    return false;
                }
            }
            for (Checked one : checked) {
                if (outbox.sending(MessageTypes.PROVIDER_PACKAGE, "sha256", one.pkg().sha256())) {
                    LOG.info("provider package {} is already on its way to the outpost; not sent twice", one.pkg().filename());
                } else {
                    outbox.send(request.reply(MessageTypes.PROVIDER_PACKAGE, Messages.headers(one.pkg()), null, clock.instant()),
                            one.file(), one.pkg().sha256());
                }
            }
            return true;
        } catch (TerraformRegistryException e) {
            refusals.refuse(request, ErrorCode.ofOriginStatus(e.status()), pull.subject() + ": " + e.getMessage(), pull.subject());
            return false;
        } finally {
            checked.forEach(one -> spool.delete(one.file()));
        }
    }

    /** Downloads one package into the spool and checks it; returns why it does not match, or adds it to {@code checked}. */
    private Optional<String> download(ProviderRegistryClient registry, ProviderAddress provider, ProviderVersion version, String platform,
                                      String requestId, List<Checked> checked) {
        ProviderRegistryClient.Download download = registry.download(provider, version, platform);
        if (download.shasums() != null) {
            byte[] shasums = registry.bytes(download.shasums());
            if (download.signature() != null && !download.keys().isEmpty()
                    && !ChecksumSignature.verifies(shasums, registry.bytes(download.signature()), download.keys())) {
                return Optional.of(download.filename() + ": the origin's SHA256SUMS is not signed by a key the origin lists; not sent");
            }
            String listed = new String(shasums, StandardCharsets.UTF_8).lines().filter(line -> line.endsWith("  " + download.filename()))
                    .map(line -> line.substring(0, line.indexOf(' '))).findFirst().orElse("none");
            if (!listed.equals(download.sha256())) {
                return Optional.of(download.filename() + ": the origin's SHA256SUMS lists " + listed + ", its download metadata "
                        + download.sha256() + "; not sent");
            }
        }
        Path file = spool.file(download.filename() + "-" + requestId);
        long size;
        try {
            size = cache.copy(download.sha256(), file, into -> registry.fetch(download.archive(), into));
        } catch (OriginCache.DigestMismatchException e) {
            spool.delete(file);
            LOG.warn("provider archive {} from {} hashes to {}, the origin published {}: refused", download.filename(), download.archive(),
                    e.actual(), download.sha256());
            return Optional.of(download.filename() + " hashes to " + e.actual() + " but the origin published " + download.sha256()
                    + " in its SHA256SUMS; refused, not sent");
        } catch (RuntimeException e) {
            spool.delete(file);
            throw e;
        }
        checked.add(new Checked(new ProviderPackage(provider.toString(), version.toString(), platform, download.sha256(), PackageHashes.h1(file), size),
                file));
        return Optional.empty();
    }
}
