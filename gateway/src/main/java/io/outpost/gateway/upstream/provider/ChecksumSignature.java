package io.outpost.gateway.upstream.provider;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openpgp.PGPCompressedData;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRingCollection;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.jcajce.JcaPGPObjectFactory;
import org.bouncycastle.openpgp.operator.jcajce.JcaKeyFingerprintCalculator;
import org.bouncycastle.openpgp.operator.jcajce.JcaPGPContentVerifierBuilderProvider;

/**
 * A provider registry signs each version's SHA256SUMS with an OpenPGP key it lists in the download
 * metadata: the checksums are only as good as that signature.
 */
final class ChecksumSignature {
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();

    private ChecksumSignature() {
    }

    /** True when {@code signature} (binary or armored, detached) is one of {@code armoredKeys} over {@code shasums}. */
    static boolean verifies(byte[] shasums, byte[] signature, List<String> armoredKeys) {
        try {
            for (String armored : armoredKeys) {
                PGPPublicKeyRingCollection keys = new PGPPublicKeyRingCollection(
                        PGPUtil.getDecoderStream(new ByteArrayInputStream(armored.getBytes(StandardCharsets.US_ASCII))), new JcaKeyFingerprintCalculator());
                for (PGPSignature candidate : signatures(signature)) {
                    PGPPublicKey key = keys.getPublicKey(candidate.getKeyID());
                    if (key != null) {
                        candidate.init(new JcaPGPContentVerifierBuilderProvider().setProvider(BC), key);
                        candidate.update(shasums);
                        if (candidate.verify()) {
                            return true;
                        }
                    }
                }
            }
            return false;
        } catch (IOException | PGPException | RuntimeException malformed) {
            return false;
        }
    }

    private static PGPSignatureList signatures(byte[] signature) throws IOException, PGPException {
        InputStream in = PGPUtil.getDecoderStream(new ByteArrayInputStream(signature));
        Object next = new JcaPGPObjectFactory(in).nextObject();
        if (next instanceof PGPCompressedData compressed) {
            next = new JcaPGPObjectFactory(compressed.getDataStream()).nextObject();
        }
        if (next instanceof PGPSignatureList list) {
            return list;
        }
        throw new PGPException("not a detached signature");
    }
}
