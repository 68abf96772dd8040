package io.outpost.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Cosign-format signatures made with P-256 keys, found as clients find them in a real registry, checked against a policy. */
class CosignSignaturesTest {
    @RegisterExtension
    final LocalRegistry registry = new LocalRegistry();

    @TempDir
    Path dir;
    private TestImages images;
    private KeyPair publisher;
    private SignaturePolicy policy;

    @BeforeEach
    void publisherKey() throws Exception {
        images = new TestImages(registry.client(), dir);
        publisher = p256();
        Path pub = Files.writeString(dir.resolve("cosign.pub"), CosignSignatures.pem(publisher.getPublic()));
        policy = SignaturePolicy.fromEntries(List.of("team/**=" + pub));
    }

    @Test
    void aSignatureByThePolicysKeyPassesAndIsFoundByItsCosignTag() throws Exception {
        Manifest app = image("team/app", 1);
        Manifest signature = CosignSignatures.sign(registry.client(), "team/app", app.digest(), publisher.getPrivate(), dir);

        List<Referrers.Referrer> found = Referrers.of(registry.client(), "team/app", List.of(app.digest()));

        assertThat(found).singleElement().satisfies(referrer -> {
            assertThat(referrer.tag()).isEqualTo("sha256-" + app.digest().substring(7) + ".sig");
            assertThat(referrer.manifest().bytes()).isEqualTo(signature.bytes());
        });
        assertThat(refusal("team/app", app, signature)).isEmpty();
    }

    @Test
    void aForgedAMissingAndABorrowedSignatureAreEachRefusedSayingWhy() throws Exception {
        Manifest forged = image("team/forged", 2);
        Manifest byStranger = CosignSignatures.sign(registry.client(), "team/forged", forged.digest(), p256().getPrivate(), dir);
        Manifest other = image("team/forged", 3);
        Manifest ofOther = CosignSignatures.sign(registry.client(), "team/forged", other.digest(), publisher.getPrivate(), dir);

        assertThat(refusal("team/forged", forged, byStranger)).get().asString().contains("a signature by none of the policy's keys");
        assertThat(refusal("team/forged", forged, null)).get().asString().contains("no cosign signature");
        assertThat(refusal("team/forged", forged, ofOther)).get().asString().contains("a signature of " + other.digest() + ", another image");
        assertThat(policy.refusal("elsewhere/app", forged.digest(), null, registry.client(), "elsewhere/app")).as("no glob matches: no signature needed").isEmpty();
    }

    @Test
    void onARegistryWithoutTheReferrersApiTheReferrersTagSchemaListsAttachedArtifacts() throws Exception {
        Manifest app = image("team/sbom", 4);
        List<Manifest> attached = images.sbom("team/sbom", app, "{\"spdxVersion\":\"SPDX-2.3\"}");

        assertThat(registry.client().referrers("team/sbom", app.digest())).as("Distribution 2.8 has no referrers API").isEmpty();
        List<Referrers.Referrer> found = Referrers.of(registry.client(), "team/sbom", List.of(app.digest()));

        assertThat(found).extracting(referrer -> referrer.manifest().digest()).containsExactly(attached.get(0).digest(), attached.get(1).digest());
        assertThat(found).extracting(Referrers.Referrer::tag).containsExactly(null, Referrers.tagOf(app.digest()));
    }

    private java.util.Optional<String> refusal(String repository, Manifest image, Manifest signature) {
        return policy.refusal(repository, image.digest(), signature, registry.client(), repository);
    }

    private Manifest image(String repository, long seed) throws Exception {
        return images.image(repository, "v" + seed, images.config(repository, "{\"seed\":" + seed + "}"), List.of(images.layer(repository, seed, 1_000)));
    }

    private static KeyPair p256() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }
}
