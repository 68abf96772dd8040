package io.outpost.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Manifests come from origins and over the link: what they refer to is read strictly, and garbage is refused with a reason. */
class ManifestContentsTest {
    private static final String LAYER = "sha256:" + "a".repeat(64);
    private static final String CONFIG = "sha256:" + "b".repeat(64);
    private static final String IMAGE = """
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
             "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":2},
             "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"%s","size":100}]}
            """.formatted(CONFIG, LAYER);

    @Test
    void anImageManifestRefersToItsConfigAndLayers() {
        ManifestContents contents = ManifestContents.of(manifest(IMAGE));

        assertThat(contents.index()).isFalse();
        assertThat(contents.blobs()).extracting(ManifestContents.Descriptor::digest).containsExactly(CONFIG, LAYER);
    }

    @Test
    void aDigestThatIsNotASha256OrClimbsOutOfTheStoreIsRefused() {
        assertThatThrownBy(() -> ManifestContents.of(manifest(IMAGE.replace(LAYER, "sha256:../../etc/passwd"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("illegal digest");
        assertThatThrownBy(() -> ManifestContents.of(manifest(IMAGE.replace(LAYER, "md5:" + "a".repeat(32)))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("illegal digest");
    }

    @Test
    void mutatedAndRandomManifestsAreReadOrRefusedNeverCrashOtherwise() {
        Random random = new Random(20261123L);
        byte[] valid = IMAGE.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 3_000; i++) {
            byte[] hostile = valid.clone();
            if (i % 2 == 0) {
                for (int flips = 1 + random.nextInt(4); flips > 0; flips--) {
                    hostile[random.nextInt(hostile.length)] = (byte) (32 + random.nextInt(95));
                }
            } else {
                hostile = new byte[random.nextInt(300)];
                random.nextBytes(hostile);
            }
            try {
                ManifestContents contents = ManifestContents.of(new Manifest("application/vnd.oci.image.manifest.v1+json", hostile));
                assertThat(contents.blobs()).allSatisfy(blob -> assertThat(blob.digest()).matches("sha256:[0-9a-f]{64}"));
            } catch (IllegalArgumentException refused) {
                assertThat(refused.getMessage()).isNotBlank();
            }
        }
    }

    private static Manifest manifest(String json) {
        return new Manifest("application/vnd.oci.image.manifest.v1+json", json.getBytes(StandardCharsets.UTF_8));
    }
}
