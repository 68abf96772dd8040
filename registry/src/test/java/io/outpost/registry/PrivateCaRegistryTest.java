package io.outpost.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A registry whose TLS certificate no public CA issued: trusted through its CA file, refused without it with the remedy. */
class PrivateCaRegistryTest {
    @TempDir
    Path dir;

    @Test
    void theRegistrysCaFileIsAllItTakes() throws Exception {
        TestCertificate tls = TestCertificate.create(dir.resolve("tls"), "registry", "127.0.0.1");
        try (RegistryProcess registry = RegistryProcess.start(RegistryProcess.DEFAULT_BINARY, dir.resolve("registry"), 0,
                new RegistryProcess.Options(null, tls.certificateFile(), tls.keyFile()))) {
            RegistryEndpoint endpoint = RegistryEndpoint.of(registry.url().toString());
            assertThat(endpoint.url().getScheme()).isEqualTo("https");

            RegistryClient trusting = new RegistryClient(endpoint.trusting(tls.certificateFile()));
            TestImages images = new TestImages(trusting, dir);
            Manifest pushed = images.image("team/app", "v1", images.config("team/app", "{}"), List.of(images.layer("team/app", 1, 1000)));
            assertThat(trusting.manifest("team/app", "v1").digest()).isEqualTo(pushed.digest());

            assertThatThrownBy(() -> new RegistryClient(endpoint).manifest("team/app", "v1"))
                    .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.status()).isZero())
                    .hasMessageContaining("TLS failed").hasMessageContaining("--registry-ca " + registry.address() + "=FILE");
        }
    }
}
