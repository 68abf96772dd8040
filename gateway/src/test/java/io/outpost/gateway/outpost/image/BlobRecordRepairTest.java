package io.outpost.gateway.outpost.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.content.Digests;
import io.outpost.registry.LocalRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A blob record that lost lines is put right from the registry itself, so what the outpost holds does not cross the link again. */
class BlobRecordRepairTest {
    @RegisterExtension
    final LocalRegistry registry = new LocalRegistry();

    @TempDir
    Path dir;

    @Test
    void blobsTheHoldingsRecordKnowsAndTheRegistryHoldsAreRecordedAgainWhereTheRegistryHasThem() throws Exception {
        String web = push("demo/web", "a layer of web");
        String api = push("demo/api", "a layer of api");
        String lost = "sha256:" + Digests.sha256("never pushed".getBytes());
        BlobInventory record = new BlobInventory(dir.resolve("registry-blobs.log"));
        record.add(web, "demo/web");

        record.repair(List.of(web, api, lost), registry.client());

        assertThat(record.digests()).as("the one the registry lacks is not claimed").containsExactlyInAnyOrder(web, api);
        assertThat(record.holderOtherThan(api, "demo/web")).contains("demo/api");
        assertThat(new BlobInventory(dir.resolve("registry-blobs.log")).digests()).as("written down").containsExactlyInAnyOrder(web, api);
    }

    @Test
    void aRegistryThatCannotBeAskedLeavesTheRecordAsItIs() throws Exception {
        String web = push("demo/web", "a layer");
        BlobInventory record = new BlobInventory(dir.resolve("registry-blobs.log"));
        registry.stop();

        record.repair(List.of(web), registry.client());

        assertThat(record.digests()).isEmpty();
    }

    private String push(String repository, String content) throws Exception {
        Path file = Files.writeString(dir.resolve(repository.replace('/', '-')), content);
        String digest = "sha256:" + Digests.sha256(file);
        registry.client().pushBlob(repository, digest, file, null);
        return digest;
    }
}
