package io.outpost.link.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.outpost.data.DataDirectory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SiteKeysTest {
    @TempDir
    Path data;

    private static final byte[] CONTENT = "the manifest".getBytes(StandardCharsets.UTF_8);

    @Test
    void aSiteKeepsItsKeyPairAcrossStartsAndItsPrivateKeyIsReadableByItsOwnerOnly() throws Exception {
        SiteKeys first = SiteKeys.loadOrCreate(new DataDirectory(data).upstream().keys(), "upstream");
        SiteKeys again = SiteKeys.loadOrCreate(new DataDirectory(data).upstream().keys(), "upstream");

        assertThat(again.publicKey().toString()).isEqualTo(first.publicKey().toString());
        assertThat(Files.getPosixFilePermissions(data.resolve("upstream/keys/site.key")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThatThrownBy(() -> SiteKeys.loadOrCreate(new DataDirectory(data).upstream().keys(), "polar-1")).hasMessageContaining("keys of site 'upstream'");
    }

    @Test
    void aSignatureVerifiesOnlyWithTheTrustedKeyOfItsSignerAndOnlyOverWhatWasSigned() {
        SiteKeys upstream = SiteKeys.loadOrCreate(new DataDirectory(data).upstream().keys(), "upstream");
        SiteKeys impostor = SiteKeys.loadOrCreate(data.resolve("impostor/keys"), "upstream");
        TrustedKeys outpost = new TrustedKeys(data.resolve("outpost/keys/trusted"));
        byte[] signature = upstream.sign(CONTENT);

        assertThat(outpost.refusal("upstream", CONTENT, signature)).get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("does not trust");
        outpost.trust(PublicKeyLine.parse(upstream.publicKey().toString()));
        assertThat(outpost.refusal("upstream", CONTENT, signature)).isEmpty();
        assertThat(outpost.refusal("upstream", "another manifest".getBytes(StandardCharsets.UTF_8), signature)).isPresent();
        assertThat(outpost.refusal("upstream", CONTENT, impostor.sign(CONTENT))).get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("does not verify");
        assertThat(outpost.refusal("upstream", CONTENT, new byte[] {1, 2, 3})).isPresent();
    }

    @Test
    void aKeyLineThatIsNotOneIsRefusedWithWhatItShouldLookLike() {
        assertThatThrownBy(() -> PublicKeyLine.parse("ssh-rsa AAAA upstream")).hasMessageContaining("ed25519 BASE64 SITE");
        assertThatThrownBy(() -> PublicKeyLine.parse("ed25519 " + "A".repeat(44) + " upstream")).hasMessageContaining("not an Ed25519 public key");
        assertThatThrownBy(() -> PublicKeyLine.parse("ed25519 " + "A".repeat(44) + " ../etc")).hasMessageContaining("ed25519 BASE64 SITE");
    }
}
