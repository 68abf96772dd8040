package io.outpost.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Against a real CNCF Distribution registry. */
class RegistryClientTest {
    @RegisterExtension
    final LocalRegistry registry = new LocalRegistry();

    @TempDir
    Path dir;

    @Test
    void aManifestWithOddWhitespaceIsStoredAndServedByteForByte() throws Exception {
        TestImages images = new TestImages(registry.client(), dir);
        Manifest pushed = images.image("team/app", "v1", images.config("team/app", "{\"architecture\":\"amd64\",\"os\":\"linux\"}"),
                List.of(images.layer("team/app", 1, 10_000)));

        Manifest served = registry.client().manifest("team/app", "v1");

        assertThat(served.bytes()).isEqualTo(pushed.bytes());
        assertThat(served.digest()).isEqualTo(pushed.digest());
        assertThat(served.mediaType()).isEqualTo(MediaTypes.OCI_MANIFEST);
        assertThat(ManifestContents.of(served).blobs()).hasSize(2);
    }

    @Test
    void blobsStreamOutWithTheirDigestCheckedAndMountAcrossRepositories() throws Exception {
        TestImages images = new TestImages(registry.client(), dir);
        String layer = images.layer("team/app", 2, 300_000);
        String digest = layer.replaceAll(".*\"(sha256:[0-9a-f]{64})\".*", "$1");

        Path pulled = dir.resolve("pulled");
        assertThat(registry.client().pullBlob("team/app", digest, pulled)).isEqualTo(300_000);
        assertThat(registry.client().hasBlob("other/app", digest)).isFalse();
        registry.client().pushBlob("other/app", digest, null, "team/app");
        assertThat(registry.client().hasBlob("other/app", digest)).isTrue();
        assertThat(Files.size(pulled)).isEqualTo(300_000);
    }

    @Test
    void aMultiArchIndexKeepsItsDigest() throws Exception {
        TestImages images = new TestImages(registry.client(), dir);
        Manifest amd64 = images.image("team/multi", "amd64", images.config("team/multi", "{\"architecture\":\"amd64\"}"),
                List.of(images.layer("team/multi", 3, 1000)));
        Manifest arm64 = images.image("team/multi", "arm64", images.config("team/multi", "{\"architecture\":\"arm64\"}"),
                List.of(images.layer("team/multi", 4, 1000)));
        Manifest index = images.index("team/multi", "v1", List.of(amd64, arm64), List.of("linux/amd64", "linux/arm64"));

        Manifest served = registry.client().manifest("team/multi", "v1");
        assertThat(served.digest()).isEqualTo(index.digest());
        ManifestContents contents = ManifestContents.of(served);
        assertThat(contents.index()).isTrue();
        assertThat(contents.manifests()).extracting(ManifestContents.Descriptor::platform).containsExactly("linux/amd64", "linux/arm64");
    }

    @Test
    void anUnknownImageIsAClearError() {
        assertThatThrownBy(() -> registry.client().manifest("nobody/here", "v1"))
                .isInstanceOf(RegistryException.class).hasMessageContaining("HTTP 404");
    }
}
