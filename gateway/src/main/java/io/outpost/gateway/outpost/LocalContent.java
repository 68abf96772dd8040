package io.outpost.gateway.outpost;

import io.outpost.gateway.outpost.image.BlobInventory;
import io.outpost.gateway.outpost.module.ModuleMirror;
import io.outpost.gateway.outpost.provider.ProviderMirror;
import io.outpost.protocol.GitSync;
import io.outpost.protocol.ImagePull;
import io.outpost.protocol.ModuleGet;
import io.outpost.protocol.ProviderGet;
import io.outpost.registry.RegistryClient;
import io.outpost.registry.RegistryException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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

    /** @param registry empty when the outpost has no local registry */
    public LocalContent(Optional<RegistryClient> registry, BlobInventory blobs, ProviderMirror mirror, ModuleMirror modules) {
        this.registry = registry;
        this.blobs = blobs;
        this.mirror = mirror;
        this.modules = modules;
    }

    /** A request for {@code refs} of {@code repo} that tells upstream the outpost's {@code haves} and everything else it holds. */
    public GitSync sync(String repo, List<String> refs, Map<String, String> haves) {
        return new GitSync(repo, refs, haves, blobDigests(), mirror.held(), modules.held());
    }

    public List<String> blobDigests() {
        return registry.isPresent() ? blobs.digests() : List.of();
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
