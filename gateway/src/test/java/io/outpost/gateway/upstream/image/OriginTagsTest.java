package io.outpost.gateway.upstream.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.registry.LocalRegistry;
import io.outpost.registry.Manifest;
import io.outpost.registry.RegistryClient;
import io.outpost.registry.TestImages;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Which of an origin repository's tags travel with an image pinned by digest, asked of a real registry. */
class OriginTagsTest {
    @RegisterExtension
    final LocalRegistry registry = new LocalRegistry();

    @TempDir
    Path dir;

    @Test
    void theTagsNamingTheDigestNowAndNoReferrerTags() throws Exception {
        RegistryClient client = registry.client();
        TestImages images = new TestImages(client, dir);
        String layer = images.layer("team/web", 1, 1_000);
        Manifest r1 = images.image("team/web", "r1", images.config("team/web", "{\"release\":1}"), List.of(layer));
        Manifest r2 = images.image("team/web", "r2", images.config("team/web", "{\"release\":2}"), List.of(layer));
        client.putManifest("team/web", "latest", r1);
        client.putManifest("team/web", "latest", r2);
        client.putManifest("team/web", "stable", r1);
        client.putManifest("team/web", r1.digest().replace(':', '-') + ".sig", r1);

        assertThat(OriginTags.naming(client, "team/web", r1.digest(), client.tags("team/web"))).containsExactly("r1", "stable");
        assertThat(OriginTags.naming(client, "team/web", r2.digest(), client.tags("team/web"))).containsExactly("latest", "r2");
    }

    @Test
    void aRepositoryWithMoreTagsThanTheLimitIsNotSearched() throws Exception {
        RegistryClient client = registry.client();
        TestImages images = new TestImages(client, dir);
        Manifest image = images.image("team/many", "v0", images.config("team/many", "{}"), List.of(images.layer("team/many", 2, 500)));
        List<String> tags = new ArrayList<>(List.of("v0"));
        for (int i = 1; i <= OriginTags.MAX_CHECKED; i++) {
            client.putManifest("team/many", "v" + i, image);
            tags.add("v" + i);
        }

        assertThat(OriginTags.naming(client, "team/many", image.digest(), tags)).as("%d tags: each would cost a request", tags.size()).isEmpty();
        assertThat(OriginTags.naming(client, "team/many", image.digest(), tags.subList(0, OriginTags.MAX_CHECKED))).hasSize(OriginTags.MAX_CHECKED);
    }
}
