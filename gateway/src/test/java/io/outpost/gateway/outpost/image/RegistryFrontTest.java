package io.outpost.gateway.outpost.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.broker.InternalCa;
import io.outpost.registry.LocalRegistry;
import io.outpost.registry.Manifest;
import io.outpost.registry.Referrers;
import io.outpost.registry.RegistryClient;
import io.outpost.registry.RegistryEndpoint;
import io.outpost.registry.TestImages;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The registry front over a real registry, read as an origin is read: its referrers API is the one clients find first. */
class RegistryFrontTest {
    @RegisterExtension
    final LocalRegistry registry = new LocalRegistry();

    @TempDir
    Path dir;

    @Test
    void referrersAreFoundThroughTheApiWhereARegistryAnswersIt() throws Exception {
        TestImages images = new TestImages(registry.client(), dir);
        Manifest app = images.image("team/app", "v1", images.config("team/app", "{}"), List.of(images.layer("team/app", 1, 1_000)));
        List<Manifest> attached = images.sbom("team/app", app, "{\"spdxVersion\":\"SPDX-2.3\"}");
        InternalCa ca = InternalCa.loadOrCreate(dir.resolve("tls"), "test-outpost", Clock.systemUTC());
        try (RegistryFront front = RegistryFront.start(registry.client().endpoint(), List.of(new KeptIndexes(dir.resolve("indexes"))), (name, reference) -> java.util.Optional.empty(), null, List.of(),
                new InetSocketAddress("127.0.0.1", 0), ca.serverContext(List.of("127.0.0.1")))) {
            RegistryClient client = new RegistryClient(RegistryEndpoint.of("https://" + front.address()).trusting(ca.certificateFile()));

            assertThat(client.referrers("team/app", app.digest())).as("the API answers").isPresent();
            List<Referrers.Referrer> found = Referrers.of(client, "team/app", List.of(app.digest()));

            assertThat(found).extracting(referrer -> referrer.manifest().digest()).first().isEqualTo(attached.get(0).digest());
            assertThat(found.get(0).manifest().bytes()).isEqualTo(attached.get(0).bytes());
        }
    }
}
