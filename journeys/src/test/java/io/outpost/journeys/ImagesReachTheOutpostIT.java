package io.outpost.journeys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.outpost.broker.TwoSites;
import io.outpost.cli.OneMachine;
import io.outpost.link.LinkDirection;
import io.outpost.link.LinkTotal;
import io.outpost.protocol.Envelope;
import io.outpost.protocol.ImagePull;
import io.outpost.protocol.MessageTypes;
import io.outpost.protocol.Ready;
import io.outpost.protocol.transfer.Chunk;
import io.outpost.registry.LocalRegistry;
import io.outpost.registry.Manifest;
import io.outpost.registry.TestImages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Images cross the link blob by blob into the outpost's real registry, digests unchanged. */
class ImagesReachTheOutpostIT {
    @RegisterExtension
    final SitesWithRegistries loop = new SitesWithRegistries();
    private final TwoSites sites = loop.sites;
    private final LocalRegistry origin = loop.origin;
    private final LocalRegistry outpost = loop.outpost;

    @TempDir
    Path scratch;
    private TestImages images;
    private OneMachine.Running running;
    private CamelContext camel;

    @BeforeEach
    void loop() throws Exception {
        images = new TestImages(origin.client(), scratch);
        camel = sites.camel();
        running = Journeys.start(sites, camel, loop.registries());
    }

    @Test
    void aHandWrittenManifestArrivesWithItsDigestAndTagUnchanged() throws Exception {
        Manifest v1 = images.image("demo/hand", "v1", images.config("demo/hand", "{\"os\":\"linux\"}"),
                List.of(images.layer("demo/hand", 1, 400_000), images.layer("demo/hand", 2, 1_000)));

        assertThat(pull("demo/hand", "v1").status()).isEqualTo(Ready.Status.UPDATED);

        Manifest atOutpost = outpost.client().manifest("demo/hand", "v1");
        assertThat(atOutpost.digest()).isEqualTo(v1.digest());
        assertThat(atOutpost.bytes()).isEqualTo(v1.bytes());
        assertThat(pull("demo/hand", v1.digest()).status()).as("already here: no second transfer").isEqualTo(Ready.Status.UNCHANGED);
    }

    @Test
    void aMultiArchIndexPulledForAllPlatformsKeepsItsDigest() throws Exception {
        List<Manifest> platforms = multiArch();
        Manifest index = images.index("demo/multi", "v1", platforms, List.of("linux/amd64", "linux/arm64"));

        assertThat(pull("demo/multi", "v1", ImagePull.ALL_PLATFORMS).status()).isEqualTo(Ready.Status.UPDATED);

        assertThat(outpost.client().manifest("demo/multi", "v1").digest()).isEqualTo(index.digest());
        assertThat(outpost.client().hasManifest("demo/multi", platforms.get(1).digest())).isTrue();
    }

    @Test
    void aMultiArchIndexPulledForOnePlatformMovesOnlyThatPlatformAndSaysSo() throws Exception {
        List<Manifest> platforms = multiArch();
        images.index("demo/multi", "v1", platforms, List.of("linux/amd64", "linux/arm64"));

        Ready ready = pull("demo/multi", "v1", "linux/amd64");

        assertThat(ready.status()).isEqualTo(Ready.Status.UPDATED);
        assertThat(ready.message()).contains("partial index").contains("registry front");
        assertThat(outpost.client().manifest("demo/multi", "v1").digest()).isEqualTo(platforms.get(0).digest());
        assertThat(outpost.client().hasManifest("demo/multi", platforms.get(1).digest())).isFalse();
    }

    private List<Manifest> multiArch() throws Exception {
        Manifest amd64 = images.image("demo/multi", "amd64", images.config("demo/multi", "{\"architecture\":\"amd64\"}"),
                List.of(images.layer("demo/multi", 3, 5_000)));
        Manifest arm64 = images.image("demo/multi", "arm64", images.config("demo/multi", "{\"architecture\":\"arm64\"}"),
                List.of(images.layer("demo/multi", 4, 5_000)));
        return List.of(amd64, arm64);
    }

    @Test
    void aSecondVersionSharingAllButOneLayerSendsOnlyThatLayer() throws Exception {
        String a = images.layer("demo/app", 10, 300_000);
        String b = images.layer("demo/app", 11, 300_000);
        images.image("demo/app", "v1", images.config("demo/app", "{\"v\":1}"), List.of(a, b, images.layer("demo/app", 12, 300_000)));
        pull("demo/app", "v1");
        long before = running.link().bytes(LinkDirection.TO_OUTPOST);

        Manifest v2 = images.image("demo/app", "v2", images.config("demo/app", "{\"v\":2}"), List.of(a, b, images.layer("demo/app", 13, 300_000)));
        assertThat(pull("demo/app", "v2").status()).isEqualTo(Ready.Status.UPDATED);

        long carried = running.link().bytes(LinkDirection.TO_OUTPOST) - before;
        long newContent = 300_000 + "{\"v\":2}".length();
        System.out.printf("v2: %d bytes on the link for %d bytes of new layers and config%n", carried, newContent);
        assertThat(carried).isLessThan((long) (newContent * 1.1));
        assertThat(outpost.client().manifest("demo/app", "v2").digest()).isEqualTo(v2.digest());
    }

    @Test
    void aBlobCorruptedOnTheLinkCountsAsLostIsNeverPushedAndComesWhenAskedAgain() throws Exception {
        String layer = images.layer("demo/small", 20, 100_000);
        String digest = layer.replaceAll(".*\"(sha256:[0-9a-f]{64})\".*", "$1");
        Manifest v1 = images.image("demo/small", "v1", images.config("demo/small", "{}"), List.of(layer));
        List<String> pushes = new java.util.concurrent.CopyOnWriteArrayList<>();
        corruptOnTheLink(digest, pushes);

        CompletableFuture<Ready> first = running.gateway().pull("demo/small", "v1", ImagePull.DEFAULT_PLATFORM);
        // a damaged frame counts as lost: the next ask after the resend interval (a worker's next run) brings the blob again
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            running.gateway().pull("demo/small", "v1", ImagePull.DEFAULT_PLATFORM);
            return first.isDone();
        });

        assertThat(first.get().status()).isEqualTo(Ready.Status.UPDATED);
        assertThat(pushes).as("copies of the blob that reached the outpost: the corrupted one, then a good one").hasSize(2);
        assertThat(running.link().totals().get("to-upstream").get(MessageTypes.IMAGE_PULL).messages()).as("asked again").isEqualTo(2);
        assertThat(outpost.client().manifest("demo/small", "v1").digest()).isEqualTo(v1.digest());
        assertThat(java.util.Arrays.equals(Files.readAllBytes(pulledBlob(digest)), Files.readAllBytes(originBlob(digest))))
                .as("what the outpost serves is the origin's blob, not the corrupted copy").isTrue();
    }

    private Path pulledBlob(String digest) {
        Path file = scratch.resolve("outpost-copy");
        outpost.client().pullBlob("demo/small", digest, file);
        return file;
    }

    private Path originBlob(String digest) {
        Path file = scratch.resolve("origin-copy");
        origin.client().pullBlob("demo/small", digest, file);
        return file;
    }

    @Test
    void identicalPullsInFlightCauseOneTransfer() throws Exception {
        images.image("demo/shared", "v1", images.config("demo/shared", "{}"), List.of(images.layer("demo/shared", 30, 50_000)));

        CompletableFuture<Ready> first = running.gateway().pull("demo/shared", "v1", ImagePull.DEFAULT_PLATFORM);
        CompletableFuture<Ready> second = running.gateway().pull("demo/shared", "v1", ImagePull.DEFAULT_PLATFORM);

        assertThat(first.get(20, TimeUnit.SECONDS).status()).isEqualTo(Ready.Status.UPDATED);
        assertThat(second.get(20, TimeUnit.SECONDS).status()).isEqualTo(Ready.Status.UPDATED);
        assertThat(running.link().totals().get("to-upstream")).containsEntry(MessageTypes.IMAGE_PULL,
                new LinkTotal(1, running.link().totals().get("to-upstream").get(MessageTypes.IMAGE_PULL).bytes()));
    }

    private Ready pull(String repository, String reference) throws Exception {
        return pull(repository, reference, ImagePull.DEFAULT_PLATFORM);
    }

    private Ready pull(String repository, String reference, String platform) throws Exception {
        return running.gateway().pull(repository, reference, platform).get(20, TimeUnit.SECONDS);
    }

    /** Flips a byte in the body of the first copy of blob {@code digest} the link delivers to the outpost, as a noisy link would. */
    private void corruptOnTheLink(String digest, List<String> copiesSeen) throws Exception {
        LinkFrames frames = new LinkFrames(sites.data(), OneMachine.OUTPOST_NAME, Chunk.SIZE);
        AtomicBoolean done = new AtomicBoolean();
        AdviceWith.adviceWith(camel, "outpost-link-inbound", route -> route.weaveAddFirst().process(exchange -> {
            byte[] signedFrame = exchange.getIn().getBody(byte[].class);
            int frameLength = frames.unsigned(signedFrame).length;
            Envelope envelope = frames.decode(signedFrame);
            if (envelope.type().equals(MessageTypes.IMAGE_BLOB) && envelope.headers().path("digest").asText().equals(digest)) {
                copiesSeen.add(envelope.id());
            }
            if (envelope.type().equals(MessageTypes.IMAGE_BLOB) && envelope.headers().path("digest").asText().equals(digest)
                    && done.compareAndSet(false, true)) {
                byte[] corrupted = signedFrame.clone();
                // the body ends the frame, before the signature trailer
                corrupted[frameLength - 1 - envelope.bodySize() / 2] ^= 0x01;
                exchange.getIn().setBody(corrupted);
            }
        }));
    }
}
