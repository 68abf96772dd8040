package io.outpost.link.trust;

import io.outpost.data.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A site's Ed25519 key pair, under {@code DATA/<site>/keys/}: created on first start, then kept. The
 * private key never leaves the site; its public key line goes to the other site by configuration
 * ({@code outpost keys show}, {@code outpost keys trust}), which keeps it in {@link TrustedKeys}.
 */
public final class SiteKeys {
    private static final String PRIVATE_KEY_FILE = "site.key";
    private static final String PUBLIC_KEY_FILE = "site.pub";

    private final Path dir;
    private final PrivateKey privateKey;
    private final PublicKeyLine publicKey;

    private SiteKeys(Path dir, PrivateKey privateKey, PublicKeyLine publicKey) {
        this.dir = dir;
        this.privateKey = privateKey;
        this.publicKey = publicKey;
    }

    /** The keys of {@code site} under {@code dir}, created when there are none. */
    public static SiteKeys loadOrCreate(Path dir, String site) {
        Path privateFile = dir.resolve(PRIVATE_KEY_FILE);
        try {
            return DurableFiles.exclusively(dir, () -> loadOrCreate(dir, site, privateFile));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the site keys in " + dir, e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the site keys in " + dir + " are damaged: " + e.getMessage(), e);
        }
    }

    private static SiteKeys loadOrCreate(Path dir, String site, Path privateFile) throws IOException, GeneralSecurityException {
        if (!Files.exists(privateFile)) {
            KeyPair pair = KeyPairGenerator.getInstance(PublicKeyLine.ALGORITHM).generateKeyPair();
            Files.createDirectories(dir);
            // the public line first: a crash between the two writes leaves no private key without its public half
            DurableFiles.writeAtomically(dir.resolve(PUBLIC_KEY_FILE), (new PublicKeyLine(site, pair.getPublic()) + "\n").getBytes(StandardCharsets.UTF_8));
            DurableFiles.writeSecret(privateFile, Base64.getMimeEncoder().encode(pair.getPrivate().getEncoded()));
        }
        PrivateKey privateKey = KeyFactory.getInstance(PublicKeyLine.ALGORITHM)
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(Files.readAllBytes(privateFile))));
        PublicKeyLine publicKey = PublicKeyLine.parse(Files.readString(dir.resolve(PUBLIC_KEY_FILE)));
        if (!publicKey.site().equals(site)) {
            throw new IllegalStateException(dir + " holds the keys of site '" + publicKey.site() + "', not of '" + site + "'");
        }
        return new SiteKeys(dir, privateKey, publicKey);
    }

    public PublicKeyLine publicKey() {
        return publicKey;
    }

    public String site() {
        return publicKey.site();
    }

    /** Where the keys are kept; trusted keys of other sites are in its {@code trusted/}. */
    public Path dir() {
        return dir;
    }

    public byte[] sign(byte[] content) {
        try {
            Signature signer = Signature.getInstance(PublicKeyLine.ALGORITHM);
            signer.initSign(privateKey);
            signer.update(content);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing is not available in this JVM", e);
        }
    }

    static boolean verify(PublicKey key, byte[] content, byte[] signature) {
        try {
            Signature verifier = Signature.getInstance(PublicKeyLine.ALGORITHM);
            verifier.initVerify(key);
            verifier.update(content);
            return verifier.verify(signature);
        } catch (java.security.SignatureException malformed) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 verification is not available in this JVM", e);
        }
    }

    static String fingerprint(PublicKey key) {
        try {
            return "SHA256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()), 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
