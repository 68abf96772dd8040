package io.outpost.gateway.upstream.git;

import io.outpost.gateway.upstream.image.ImageOrigins;
import io.outpost.gateway.upstream.image.UpstreamImagePull;
import io.outpost.gateway.upstream.module.UpstreamModulePull;
import io.outpost.gateway.upstream.provider.ProviderOrigins;
import io.outpost.gateway.upstream.provider.UpstreamProviderPull;
import io.outpost.protocol.Envelope;
import io.outpost.protocol.GitSync;
import io.outpost.protocol.ImagePull;
import io.outpost.protocol.ModuleGet;
import io.outpost.protocol.ProviderGet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One round trip per update: before the bundle of new commits, upstream sends what those commits need
 * at the outpost (their {@link CommitRequirements}) less what the sync says the outpost holds. What could
 * be sent becomes the bundle's {@code needs}; what could not (refused, missing at the origin) is answered
 * with its own error, and the worker asks for it again when it runs.
 */
public final class RequirementsAhead {
    private static final Logger LOG = LoggerFactory.getLogger(RequirementsAhead.class);
    private static final long MAX_CONFIG_FILE = 1024 * 1024;

    private final OriginMirrors mirrors;
    private final ImageOrigins imageOrigins;
    private final ProviderOrigins providerOrigins;
    private final UpstreamImagePull images;
    private final UpstreamProviderPull providers;
    private final UpstreamModulePull modules;

    public RequirementsAhead(OriginMirrors mirrors, ImageOrigins imageOrigins, ProviderOrigins providerOrigins, UpstreamImagePull images,
                             UpstreamProviderPull providers, UpstreamModulePull modules) {
        this.mirrors = mirrors;
        this.imageOrigins = imageOrigins;
        this.providerOrigins = providerOrigins;
        this.images = images;
        this.providers = providers;
        this.modules = modules;
    }

    /** What was sent ahead (or is already held): image, provider and module subjects. */
    public record Needs(List<String> images, List<String> providers, List<String> modules) {
    }

    /** Sends ahead what the commits at {@code newTips} need. */
    public Needs send(Envelope request, GitSync sync, Set<String> newTips) {
        Set<ImagePull> wantedImages = new LinkedHashSet<>();
        Set<ProviderGet> wantedProviders = new LinkedHashSet<>();
        Set<ModuleGet> wantedModules = new LinkedHashSet<>();
        for (String commit : newTips) {
            CommitRequirements requirements = CommitRequirements.of(mirrors.files(sync.repo(), commit, CommitRequirements::reads, MAX_CONFIG_FILE),
                    imageOrigins, providerOrigins);
            wantedImages.addAll(requirements.images());
            wantedProviders.addAll(requirements.providers());
            wantedModules.addAll(requirements.modules());
        }
        // images first: their layers are most of the bytes, so the link starts on them while the provider
        // registry is asked (a round trip to it even when the outpost holds the version, to learn of newer ones)
        List<String> imageNeeds = new ArrayList<>();
        // a layer shared by several of the images crosses once: the outpost mounts it into the other repositories
        Set<String> blobsSent = new HashSet<>();
        for (ImagePull image : wantedImages) {
            if (images.answer(request, new ImagePull(image.repository(), image.reference(), image.platform(), sync.haveBlobs()), blobsSent)) {
                imageNeeds.add(image.subject());
            }
        }
        List<String> providerNeeds = new ArrayList<>();
        Set<String> heldProviders = new HashSet<>(sync.haveProviders());
        for (ProviderGet provider : wantedProviders) {
            if (providers.answer(request, provider, heldProviders)) {
                providerNeeds.add(provider.subject());
            }
        }
        List<String> moduleNeeds = new ArrayList<>();
        Set<String> heldModules = new HashSet<>(sync.haveModules());
        for (ModuleGet module : wantedModules) {
            if (modules.answer(request, module, heldModules)) {
                moduleNeeds.add(module.subject());
            }
        }
        if (!imageNeeds.isEmpty() || !providerNeeds.isEmpty() || !moduleNeeds.isEmpty()) {
            LOG.info("sent ahead of {}'s bundle what its new commits need: {} {} {}", sync.repo(), imageNeeds, providerNeeds, moduleNeeds);
        }
        return new Needs(imageNeeds, providerNeeds, moduleNeeds);
    }
}
