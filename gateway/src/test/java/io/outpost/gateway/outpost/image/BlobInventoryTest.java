package io.outpost.gateway.outpost.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.content.Digests;
import io.outpost.data.NamespaceData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The record of blobs in the local registry: a line per change, shared by the gateways of one data directory. */
class BlobInventoryTest {
    @TempDir
    Path dir;

    @Test
    void addingABlobAppendsOneLineHoweverManyAreHeld() throws Exception {
        BlobInventory inventory = new BlobInventory(dir.resolve("blobs.log"));
        for (int i = 0; i < 2_000; i++) {
            inventory.add(digest(i), "demo/web");
        }
        long before = Files.size(dir.resolve("blobs.log"));

        inventory.add(digest(5_000), "demo/web");

        assertThat(Files.size(dir.resolve("blobs.log")) - before).isEqualTo(("+ " + digest(5_000) + " demo/web\n").length());
        assertThat(inventory.digests()).hasSize(2_001);
    }

    @Test
    void whatAnotherGatewayAddsOrForgetsIsSeenAndACutShortLineIsDropped() throws Exception {
        BlobInventory one = new BlobInventory(dir.resolve("blobs.log"));
        BlobInventory other = new BlobInventory(dir.resolve("blobs.log"));
        one.add(digest(1), "demo/web");
        one.add(digest(2), "demo/api");
        other.forget(digest(1));
        Files.write(dir.resolve("blobs.log"), ("+ " + digest(3)).getBytes(), StandardOpenOption.APPEND);

        assertThat(one.digests()).containsExactly(digest(2));
        assertThat(one.holderOtherThan(digest(2), "demo/web")).contains("demo/api");
        other.add(digest(4), "demo/web");
        assertThat(new BlobInventory(dir.resolve("blobs.log")).digests()).containsExactlyInAnyOrder(digest(2), digest(4));
    }

    @Test
    void theJsonRecordOfEarlierBuildsIsCarriedOverOnce() throws Exception {
        NamespaceData namespace = new NamespaceData(dir);
        Files.writeString(namespace.registryInventoryJson(), "{\"" + digest(1) + "\":[\"demo/web\",\"demo/api\"]}");

        BlobInventory inventory = BlobInventory.of(namespace);

        assertThat(inventory.digests()).containsExactly(digest(1));
        assertThat(inventory.holderOtherThan(digest(1), "demo/web")).contains("demo/api");
        assertThat(namespace.registryInventoryJson()).doesNotExist();
        assertThat(BlobInventory.of(namespace).digests()).containsExactly(digest(1));
    }

    private static String digest(int i) {
        return "sha256:" + Digests.sha256(Integer.toString(i).getBytes());
    }
}
