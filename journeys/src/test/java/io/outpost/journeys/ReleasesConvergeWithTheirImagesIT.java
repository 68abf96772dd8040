package io.outpost.journeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outpost.broker.TwoSites;
import io.outpost.cli.OneMachine;
import io.outpost.content.BillOfMaterials;
import io.outpost.iacworker.RunOutcome;
import io.outpost.iacworker.RunRecord;
import io.outpost.iacworker.StackRunner;
import io.outpost.link.LinkDirection;
import io.outpost.link.LinkTotal;
import io.outpost.registry.LocalRegistry;
import io.outpost.registry.TestImages;
import io.outpost.txrxsim.link.LinkSettings;
import io.outpost.txrxsim.origin.DemoImages;
import io.outpost.txrxsim.origin.Release;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Each release of the demo config pins a Jib-built image; the outpost converges on both. */
class ReleasesConvergeWithTheirImagesIT {
    @RegisterExtension
    final SitesWithRegistries loop = new SitesWithRegistries();
    private final TwoSites sites = loop.sites;
    private final LocalRegistry origin = loop.origin;
    private final LocalRegistry outpost = loop.outpost;

    @Test
    void aReleaseConvergesWithItsImageDigestAndCostsAboutOneLayer() throws Exception {
        OneMachine.Running running = Journeys.start(sites, sites.camel(), loop.registries());
        RunRecord first = running.runner().run(StackRunner.SCHEDULED);
        assertThat(first.outcome()).as(String.valueOf(first.error())).isEqualTo(RunOutcome.CONVERGED);
        assertImageAtOutpostIsTheOrigins(first);
        Map<String, LinkTotal> before = running.link().totals().get(LinkDirection.TO_OUTPOST.tag());

        Release second = running.origin().publishNext();
        RunRecord run = running.runner().run(StackRunner.SCHEDULED);

        assertThat(run.outcome()).as(String.valueOf(run.error())).isEqualTo(RunOutcome.CONVERGED);
        assertThat(run.outputs()).containsEntry("release", String.valueOf(second.number()));
        assertImageAtOutpostIsTheOrigins(run);
        long imageBytes = imageBytes(running.link().totals().get(LinkDirection.TO_OUTPOST.tag())) - imageBytes(before);
        long newBlobs = loop.newBlobBytes(first.outputs().get("image"), run.outputs().get("image"));
        System.out.printf("release %d: %d image bytes on the link for %d bytes of new blobs%n", second.number(), imageBytes, newBlobs);
        assertThat(imageBytes).isLessThan((long) (newBlobs * 1.1));
    }

    @Test
    void aLayerSharedByTwoImagesOfOneReleaseCrossesOnce(@TempDir Path scratch) throws Exception {
        OneMachine.Running running = Journeys.start(sites, sites.camel(), loop.registries());
        RunRecord first = running.runner().run(StackRunner.SCHEDULED);
        assertThat(first.outcome()).as(String.valueOf(first.error())).isEqualTo(RunOutcome.CONVERGED);
        TestImages images = new TestImages(origin.client(), scratch);
        String shared = images.layer("demo/api", 40, 400_000);
        images.layer("demo/worker", 40, 400_000);
        images.image("demo/api", "v1", images.config("demo/api", "{\"app\":\"api\"}"), List.of(shared, images.layer("demo/api", 41, 20_000)));
        images.image("demo/worker", "v1", images.config("demo/worker", "{\"app\":\"worker\"}"), List.of(shared, images.layer("demo/worker", 42, 20_000)));
        Map<String, LinkTotal> before = running.link().totals().get(LinkDirection.TO_OUTPOST.tag());

        running.origin().publishNext(Map.of(BillOfMaterials.FILE, "images:\n  - demo/api:v1\n  - demo/worker:v1\n"));
        RunRecord run = running.runner().run(StackRunner.SCHEDULED);

        assertThat(run.outcome()).as(String.valueOf(run.error())).isEqualTo(RunOutcome.CONVERGED);
        assertThat(outpost.client().hasManifest("demo/api", "v1")).isTrue();
        assertThat(outpost.client().hasManifest("demo/worker", "v1")).isTrue();
        long imageBytes = imageBytes(running.link().totals().get(LinkDirection.TO_OUTPOST.tag())) - imageBytes(before);
        long once = loop.newBlobBytes(first.outputs().get("image"), run.outputs().get("image")) + 400_000 + 2 * 20_000;
        System.out.printf("two images sharing a 400 kB layer: %d image bytes on the link for %d bytes of distinct new blobs%n", imageBytes, once);
        assertThat(imageBytes).as("the shared layer crossed once").isLessThan((long) (once * 1.1));
    }

    @Test
    void aRunWhoseImageHasNotArrivedIsPendingAndTheImagesArrivalConvergesIt() throws Exception {
        LinkSettings slow = new LinkSettings(Duration.ofMillis(100), Duration.ZERO, 500_000);
        OneMachine.Running running = Journeys.start(sites, sites.camel(), loop.registries(), slow, Duration.ofSeconds(2));

        RunRecord pending = running.runner().run(StackRunner.SCHEDULED);

        assertThat(pending.outcome()).isEqualTo(RunOutcome.PENDING);
        // the image is sent ahead of the config's bundle, which waits for it: the run waits on the link for the repo
        assertThat(pending.error()).contains("waiting on the link for " + OneMachine.CONFIG_REPO);
        await().atMost(Duration.ofSeconds(30)).until(() -> last(running).outcome() == RunOutcome.CONVERGED);
        assertThat(last(running).trigger()).as("started by the image's ready event").isEqualTo(StackRunner.READY);
        assertImageAtOutpostIsTheOrigins(last(running));
    }

    private void assertImageAtOutpostIsTheOrigins(RunRecord run) {
        String image = run.outputs().get("image");
        assertThat(image).startsWith(outpost.address() + "/" + DemoImages.REPOSITORY + "@sha256:");
        String digest = image.substring(image.indexOf('@') + 1);
        assertThat(outpost.client().manifest(DemoImages.REPOSITORY, digest).bytes())
                .isEqualTo(origin.client().manifest(DemoImages.REPOSITORY, digest).bytes());
    }

    /** Everything to the outpost but git answers: blobs (inline or chunked) and manifests. */
    private static long imageBytes(Map<String, LinkTotal> byType) {
        return byType.entrySet().stream().filter(e -> !e.getKey().startsWith("Git")).mapToLong(e -> e.getValue().bytes()).sum();
    }

    private static RunRecord last(OneMachine.Running running) {
        List<RunRecord> runs = running.runner().history().last(1);
        return runs.get(runs.size() - 1);
    }
}
