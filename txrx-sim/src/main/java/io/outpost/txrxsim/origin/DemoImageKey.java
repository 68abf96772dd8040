package io.outpost.txrxsim.origin;

import io.outpost.data.DurableFiles;
import io.outpost.registry.CosignSignatures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * The demo origin's image signing key (ECDSA P-256, as {@code cosign generate-key-pair} makes): created once under the
 * origin's images directory, kept so a restarted demo's older images still verify. Its public half is {@code cosign.pub}
 * there, which {@code cosign verify --key} reads too.
 */
public final class DemoImageKey {
    public static final String PUBLIC_FILE = "cosign.pub";
    private static final String PRIVATE_FILE = "signing.key";

    private final KeyPair pair;
    private final Path publicFile;

    private DemoImageKey(KeyPair pair, Path publicFile) {
        this.pair = pair;
        this.publicFile = publicFile;
    }

    public static DemoImageKey loadOrCreate(Path dir) {
        Path privateFile = dir.resolve(PRIVATE_FILE);
        Path publicFile = dir.resolve(PUBLIC_FILE);
        try {
            Files.createDirectories(dir);
            if (Files.exists(privateFile) && Files.exists(publicFile)) {
                PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(Files.readString(privateFile).strip())));
                return new DemoImageKey(new KeyPair(CosignSignatures.readKey(publicFile), key), publicFile);
            }
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            DurableFiles.writeSecret(privateFile, Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()).getBytes(StandardCharsets.US_ASCII));
            DurableFiles.writeAtomically(publicFile, CosignSignatures.pem(pair.getPublic()).getBytes(StandardCharsets.US_ASCII));
            return new DemoImageKey(pair, publicFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the demo's image signing key in " + dir, e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the demo's image signing key in " + dir + " cannot be read (delete " + privateFile + " for a new one): " + e.getMessage(), e);
        }
    }

    PrivateKey privateKey() {
        return pair.getPrivate();
    }

    public PublicKey publicKey() {
        return pair.getPublic();
    }

    public Path publicFile() {
        return publicFile;
    }
}
