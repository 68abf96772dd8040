package io.outpost.journeys;

import io.outpost.broker.TwoSites;
import io.outpost.cli.OneMachine;
import io.outpost.registry.LocalRegistry;
import io.outpost.registry.ManifestContents;
import io.outpost.txrxsim.origin.DemoImages;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Everything a loop with images needs around each test: both sites' brokers, the origin's registry and the outpost's. */
final class SitesWithRegistries implements BeforeEachCallback, AfterEachCallback {
    final TwoSites sites;
    final LocalRegistry origin = new LocalRegistry();
    final LocalRegistry outpost = new LocalRegistry();

    SitesWithRegistries() {
        this(List.of());
    }

    /** With an outpost broker that has the users, queues and topics of {@code tenants}. */
    SitesWithRegistries(List<String> tenants) {
        this(new TwoSites(tenants));
    }

    SitesWithRegistries(TwoSites sites) {
        this.sites = sites;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        sites.beforeEach(context);
        origin.beforeEach(context);
        outpost.beforeEach(context);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            outpost.afterEach(context);
        } finally {
            try {
                origin.afterEach(context);
            } finally {
                sites.afterEach(context);
            }
        }
    }

    /** Bytes of the blobs of image {@code next} (repository@digest, as a run's output names it) that {@code previous} lacks, read at the origin. */
    long newBlobBytes(String previous, String next) {
        List<String> held = blobs(previous).stream().map(ManifestContents.Descriptor::digest).toList();
        return blobs(next).stream().filter(blob -> !held.contains(blob.digest())).mapToLong(ManifestContents.Descriptor::size).sum();
    }

    private List<ManifestContents.Descriptor> blobs(String image) {
        return ManifestContents.of(origin.client().manifest(DemoImages.REPOSITORY, image.substring(image.indexOf('@') + 1))).blobs();
    }

    OneMachine.Registries registries() {
        return new OneMachine.Registries(outpost.client().endpoint(), origin.client().endpoint());
    }
}
