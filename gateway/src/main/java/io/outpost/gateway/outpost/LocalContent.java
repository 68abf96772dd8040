package io.outpost.gateway.outpost;

import io.outpost.gateway.outpost.image.BlobInventory;
import io.outpost.gateway.outpost.module.ModuleMirror;
import io.outpost.gateway.outpost.provider.ProviderMirror;
import io.outpost.protocol.Holdings;
import io.outpost.protocol.ImagePull;
import io.outpost.protocol.ModuleGet;
import io.outpost.protocol.ProviderGet;
import io.outpost.registry.RegistryClient;
import io.outpost.registry.RegistryException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * What the outpost holds besides git: the image blobs of its registry, the packages of its provider mirror
 * and the modules of its module mirror, as a sync request reports them, and whether something a bundle needs
 * is here yet.
 */
public final class LocalContent {
    private final Optional<RegistryClient> registry;
    private final BlobInventory blobs;
    private final ProviderMirror mirror;
    private final ModuleMirror modules;
    private final OutpostHoldings holdings;
    private final Supplier<List<String>> keptBlobs;

    /**
     * @param registry empty when the outpost has no local registry
     * @param keptBlobs blobs that arrived and wait for the registry to answer again: held, as far as upstream is concerned
     */
    public LocalContent(Optional<RegistryClient> registry, BlobInventory blobs, ProviderMirror mirror, ModuleMirror modules, OutpostHoldings holdings,
                        Supplier<List<String>> keptBlobs) {
        this.registry = registry;
        this.keptBlobs = keptBlobs;
        this.blobs = blobs;
        this.mirror = mirror;
        this.modules = modules;
        this.holdings = holdings;
    }

    /** What a request says of the holdings, the body carrying their changes when they are too many for its headers (else null), and the same for the operator. */
    public record HoldingsReport(Holdings holdings, Path body, String described) {
    }

    /** Everything the outpost holds besides git, as changes to upstream's ledger ({@link Holdings}). */
    public HoldingsReport holdings() {
        Holdings.Held held = new Holdings.Held(blobDigests(), mirror.held(), modules.held());
        Holdings report = holdings.report(held.items());
        String described = held.blobs().size() + " blobs, " + held.providers().size() + " provider packages, " + held.modules().size()
                + " modules held; " + report.changes().size() + " changes since upstream's ledger";
        return report.changes().size() > Holdings.INLINE_CHANGES ? new HoldingsReport(report.withoutChanges(), holdings.body(report), described)
                : new HoldingsReport(report, null, described);
    }

    /**
     * Puts right a blob record that lost lines ({@link BlobInventory#repair}): the blobs the holdings record says are
     * held, less those still kept for the registry, which it does not hold yet.
     */
    public void repairBlobRecord() {
        registry.ifPresent(client -> {
            List<String> kept = keptBlobs.get();
            blobs.repair(Holdings.Held.of(holdings.held()).blobs().stream().filter(blob -> !kept.contains(blob)).toList(), client);
        });
    }

    /** Upstream's answer says where its ledger of the holdings stands. */
    public void ledgerSeen(Holdings.Seen ledger) {
        holdings.seen(ledger);
    }

    /** Upstream could not add up the holdings: the next request carries them whole. */
    public void ledgerUnknown() {
        holdings.unknownUpstream();
    }

    /** The blobs the registry holds, and those that arrived for it and wait until it answers again. */
    public List<String> blobDigests() {
        if (registry.isEmpty()) {
            return List.of();
        }
        Set<String> held = new TreeSet<>(blobs.digests());
        held.addAll(keptBlobs.get());
        return List.copyOf(held);
    }


    /** True when the image (repository@digest or repository:tag) is in the local registry. */
    public boolean hasImage(String subject) {
        try {
            ImagePull image = ImagePull.ofSubject(subject);
            return registry.isPresent() && registry.get().hasManifest(image.repository(), image.reference());
        } catch (RegistryException notAnswering) {
            return false;
        }
    }

    /** True when the module mirror holds what the module subject asks for. */
    public boolean hasModule(String subject) {
        return modules.has(ModuleGet.ofSubject(subject));
    }

    /** True when the mirror holds a version the provider subject accepts, for this machine's platform. */
    public boolean hasProvider(String subject) {
        ProviderGet get = ProviderGet.ofSubject(subject);
        return mirror.newest(get.address(), get.constraint(), get.platforms()).isPresent();
    }
}
