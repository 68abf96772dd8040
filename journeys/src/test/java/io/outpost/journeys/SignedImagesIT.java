package io.outpost.journeys;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.broker.TwoSites;
import io.outpost.cli.OneMachine;
import io.outpost.data.DataDirectory;
import io.outpost.iacworker.RunOutcome;
import io.outpost.iacworker.RunRecord;
import io.outpost.iacworker.StackRunner;
import io.outpost.protocol.Envelope;
import io.outpost.protocol.ErrorCode;
import io.outpost.protocol.ImageContent;
import io.outpost.protocol.ImagePull;
import io.outpost.protocol.MessageTypes;
import io.outpost.protocol.Messages;
import io.outpost.protocol.Ready;
import io.outpost.protocol.transfer.Chunk;
import io.outpost.registry.CosignSignatures;
import io.outpost.registry.LocalRegistry;
import io.outpost.registry.Manifest;
import io.outpost.registry.Referrers;
import io.outpost.registry.TestImages;
import io.outpost.txrxsim.origin.DemoImageKey;
import io.outpost.txrxsim.origin.DemoImages;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signatures and SBOMs travel with their images, byte for byte, and the demo's policy (its images must carry the demo
 * origin's cosign signature) holds: a forged or missing signature is refused at the upstream with the reason, in the run.
 */
class SignedImagesIT {
    @RegisterExtension
    final SitesWithRegistries loop = new SitesWithRegistries();
    private final TwoSites sites = loop.sites;
    private final LocalRegistry origin = loop.origin;
    private final LocalRegistry outpost = loop.outpost;

    @TempDir
    Path scratch;
    private OneMachine.Running running;
    private TestImages images;
    private CamelContext camel;

    @BeforeEach
    void loop() throws Exception {
        camel = sites.camel();
        running = Journeys.start(sites, camel, loop.registries());
        images = new TestImages(origin.client(), scratch);
    }

    @Test
    void aReleasesSignatureArrivesWithItsImageByteForByteAndVerifiesAtTheOutpost() {
        RunRecord run = running.runner().run(StackRunner.SCHEDULED);

        assertThat(run.outcome()).as(String.valueOf(run.error())).isEqualTo(RunOutcome.CONVERGED);
        String image = run.outputs().get("image");
        String digest = image.substring(image.indexOf('@') + 1);
        Manifest signature = outpost.client().manifest(DemoImages.REPOSITORY, CosignSignatures.tagOf(digest));
        assertThat(signature.bytes()).isEqualTo(origin.client().manifest(DemoImages.REPOSITORY, CosignSignatures.tagOf(digest)).bytes());
        DemoImageKey key = DemoImageKey.loadOrCreate(new DataDirectory(sites.data()).originImages());
        assertThat(CosignSignatures.refusal(signature, digest, List.of(key.publicKey()), outpost.client(), DemoImages.REPOSITORY))
                .as("cosign verify --key cosign.pub, against the outpost's registry").isEmpty();
    }

    @Test
    void anImageSignedWithAnotherKeyIsRefusedAtTheUpstreamAndNothingOfItCrosses() throws Exception {
        Manifest forged = image("forged", 1);
        CosignSignatures.sign(origin.client(), DemoImages.REPOSITORY, forged.digest(), anotherKey(), scratch);

        Ready ready = pull("forged");

        assertThat(ready.status()).isEqualTo(Ready.Status.FAILED);
        assertThat(ready.error()).isEqualTo(ErrorCode.NOT_SIGNED);
        assertThat(ready.message()).contains("signature policy for 'demo/web'").contains("a signature by none of the policy's keys")
                .contains("checked at the upstream");
        assertThat(outpost.client().hasManifest(DemoImages.REPOSITORY, forged.digest())).isFalse();
        assertThat(running.link().totals().get("to-outpost")).doesNotContainKeys(MessageTypes.IMAGE_BLOB, MessageTypes.CHUNK);
    }

    @Test
    void theOutpostChecksAgainAnImageThatArrivesWithoutItsSignature() throws Exception {
        stripSignaturesOnTheLink();

        RunRecord run = running.runner().run(StackRunner.SCHEDULED);

        assertThat(run.outcome()).as(String.valueOf(run.error())).isEqualTo(RunOutcome.FAILED);
        assertThat(run.error()).contains(ErrorCode.NOT_SIGNED.code()).contains("no cosign signature").contains("checked at the outpost");
        String pinned = run.error().replaceAll("(?s).*?(sha256:[0-9a-f]{64}).*", "$1");
        assertThat(outpost.client().hasManifest(DemoImages.REPOSITORY, pinned)).as("none of its manifests was put").isFalse();
    }

    /** What upstream answers with an image reaches the outpost without the image's referrers, re-signed with upstream's key. */
    private void stripSignaturesOnTheLink() throws Exception {
        LinkFrames frames = new LinkFrames(sites.data(), OneMachine.OUTPOST_NAME, Chunk.SIZE);
        AdviceWith.adviceWith(camel, "link-to-outpost", route -> route.weaveAddFirst().process(exchange -> {
            Envelope envelope = frames.decode(exchange.getIn().getBody(byte[].class));
            if (envelope.type().equals(MessageTypes.IMAGE_CONTENT)) {
                ImageContent content = Messages.read(envelope, ImageContent.class);
                ImageContent stripped = new ImageContent(content.repository(), content.reference(), content.manifests(), content.blobs());
                exchange.getIn().setBody(frames.signedByUpstream(sites.data(), new Envelope(envelope.id(), envelope.type(), envelope.correlationId(),
                        envelope.outpost(), envelope.tenant(), envelope.createdAt(), envelope.priority(), envelope.expiresAt(), Messages.headers(stripped),
                        envelope.body(), envelope.room())));
            }
        }));
    }

    @Test
    void anUnsignedImageIsRefusedAndTheRefusalSaysSo() throws Exception {
        Manifest unsigned = image("unsigned", 2);

        Ready ready = pull("unsigned");

        assertThat(ready.error()).isEqualTo(ErrorCode.NOT_SIGNED);
        assertThat(ready.message()).contains("no cosign signature").contains(CosignSignatures.tagOf(unsigned.digest()));
    }

    @Test
    void anSbomAttachedByTheReferrersTagSchemaTravelsWithItsImage() throws Exception {
        Manifest app = images.image("demo/app", "v1", images.config("demo/app", "{\"app\":1}"), List.of(images.layer("demo/app", 7, 30_000)));
        List<Manifest> attached = images.sbom("demo/app", app, "{\"spdxVersion\":\"SPDX-2.3\",\"name\":\"demo/app\"}");

        Ready ready = running.gateway().pull("demo/app", "v1", ImagePull.DEFAULT_PLATFORM).get(30, TimeUnit.SECONDS);

        assertThat(ready.status()).as(ready.message()).isEqualTo(Ready.Status.UPDATED);
        assertThat(outpost.client().manifest("demo/app", attached.get(0).digest()).bytes()).as("the SBOM").isEqualTo(attached.get(0).bytes());
        assertThat(outpost.client().manifest("demo/app", Referrers.tagOf(app.digest())).bytes()).as("the referrers tag's index")
                .isEqualTo(attached.get(1).bytes());
    }

    private Manifest image(String tag, long seed) throws Exception {
        return images.image(DemoImages.REPOSITORY, tag, images.config(DemoImages.REPOSITORY, "{\"tag\":\"" + tag + "\"}"),
                List.of(images.layer(DemoImages.REPOSITORY, 100 + seed, 20_000)));
    }

    private Ready pull(String tag) throws Exception {
        return running.gateway().pull(DemoImages.REPOSITORY, tag, ImagePull.DEFAULT_PLATFORM).get(30, TimeUnit.SECONDS);
    }

    private static PrivateKey anotherKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair().getPrivate();
    }
}
