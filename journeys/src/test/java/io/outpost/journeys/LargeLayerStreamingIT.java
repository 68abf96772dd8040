package io.outpost.journeys;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.broker.TwoSites;
import io.outpost.cli.OneMachine;
import io.outpost.protocol.ImagePull;
import io.outpost.protocol.Ready;
import io.outpost.registry.LocalRegistry;
import io.outpost.registry.Manifest;
import io.outpost.registry.TestImages;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 64 MiB layer crosses the whole loop in a JVM capped at 128 MiB of heap (the build runs this class
 * with -Xmx128m): bodies are streamed through files and chunks, never held whole. The 1 GiB case is a
 * benchmark, not a test.
 */
class LargeLayerStreamingIT {
    @RegisterExtension
    final SitesWithRegistries loop = new SitesWithRegistries();
    private final TwoSites sites = loop.sites;
    private final LocalRegistry origin = loop.origin;
    private final LocalRegistry outpost = loop.outpost;

    @TempDir
    Path scratch;

    @Test
    void a64MiBLayerArrivesIntactWithASmallHeap() throws Exception {
        long maxHeap = Runtime.getRuntime().maxMemory();
        assertThat(maxHeap).as("run with a small heap").isLessThan(200L * 1024 * 1024);
        TestImages images = new TestImages(origin.client(), scratch);
        Manifest big = images.image("demo/big", "v1", images.config("demo/big", "{}"), List.of(images.layer("demo/big", 64, 64L * 1024 * 1024)));
        OneMachine.Running running = Journeys.start(sites, sites.camel(),
                loop.registries());

        Ready ready = running.gateway().pull("demo/big", "v1", ImagePull.DEFAULT_PLATFORM).get(120, TimeUnit.SECONDS);

        assertThat(ready.status()).isEqualTo(Ready.Status.UPDATED);
        assertThat(outpost.client().manifest("demo/big", "v1").digest()).isEqualTo(big.digest());
    }
}
