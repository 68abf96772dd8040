package io.outpost.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpost.content.Digests;
import io.outpost.protocol.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Cosign's image signatures, the one owner of their format: a manifest tagged {@code sha256-<hex>.sig} beside the image,
 * each layer a "simple signing" payload naming the image's digest, with the ECDSA P-256 signature of that payload (DER,
 * base64) in the layer's {@code dev.cosignproject.cosign/signature} annotation. Keys are cosign's {@code cosign.pub}
 * (a PEM public key). Keyless signatures (Fulcio certificates, Rekor bundles) are not checked: an outpost has no internet.
 */
public final class CosignSignatures {
    public static final String PAYLOAD_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";
    static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
    private static final String SIGNATURE_KIND = "cosign container image signature";
    private static final int MAX_PAYLOAD = 64 * 1024;

    private CosignSignatures() {
    }

    /** The tag of {@code digest}'s signatures. */
    public static String tagOf(String digest) {
        return Referrers.tagOf(digest) + ".sig";
    }

    /** A cosign public key file ({@code -----BEGIN PUBLIC KEY-----}, EC P-256). */
    public static PublicKey readKey(Path pem) {
        try {
            String text = Files.readString(pem);
            String base64 = text.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the signature key " + pem + ": " + e.getMessage(), e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException(pem + " is not a PEM EC public key (cosign.pub): " + e.getMessage(), e);
        }
    }

    /** A public key as cosign writes it. */
    public static String pem(PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    /** Signs {@code repository@digest} at {@code registry} with {@code key}, as {@code cosign sign --key} does; the signature manifest. */
    public static Manifest sign(RegistryClient registry, String repository, String digest, PrivateKey key, Path scratch) {
        ObjectNode payload = Json.MAPPER.createObjectNode();
        ObjectNode critical = payload.putObject("critical");
        critical.putObject("identity").put("docker-reference", registry.address() + "/" + repository);
        critical.putObject("image").put("docker-manifest-digest", digest);
        critical.put("type", SIGNATURE_KIND);
        payload.putNull("optional");
        byte[] payloadBytes = payload.toString().getBytes(StandardCharsets.UTF_8);
        String payloadDigest = "sha256:" + Digests.sha256(payloadBytes);
        ObjectNode config = Json.MAPPER.createObjectNode().put("architecture", "").put("os", "");
        config.putObject("rootfs").put("type", "layers").putArray("diff_ids").add(payloadDigest);
        config.putObject("config");
        byte[] configBytes = config.toString().getBytes(StandardCharsets.UTF_8);
        try {
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(key);
            signer.update(payloadBytes);
            String signature = Base64.getEncoder().encodeToString(signer.sign());
            push(registry, repository, payloadBytes, scratch);
            push(registry, repository, configBytes, scratch);
            ObjectNode manifest = Json.MAPPER.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_MANIFEST);
            manifest.putObject("config").put("mediaType", "application/vnd.oci.image.config.v1+json").put("size", configBytes.length)
                    .put("digest", "sha256:" + Digests.sha256(configBytes));
            manifest.putArray("layers").addObject().put("mediaType", PAYLOAD_TYPE).put("size", payloadBytes.length).put("digest", payloadDigest)
                    .putObject("annotations").put(SIGNATURE_ANNOTATION, signature);
            Manifest signed = new Manifest(MediaTypes.OCI_MANIFEST, manifest.toString().getBytes(StandardCharsets.UTF_8));
            registry.putManifest(repository, tagOf(digest), signed);
            return signed;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign " + repository + "@" + digest + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new RegistryException("cannot stage a signature blob in " + scratch + ": " + e.getMessage(), e);
        }
    }

    private static void push(RegistryClient registry, String repository, byte[] bytes, Path scratch) throws IOException {
        Path file = Files.write(Files.createTempFile(scratch, "signature-", ".json"), bytes);
        try {
            registry.pushBlob(repository, "sha256:" + Digests.sha256(bytes), file, null);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * Why {@code signatures} (a signature manifest, or null when the image has none) do not show {@code digest} signed by
     * one of {@code keys}; empty when one does. The payloads are read from {@code repository} of {@code registry}, each at
     * most {@value #MAX_PAYLOAD} bytes.
     */
    public static Optional<String> refusal(Manifest signatures, String digest, List<PublicKey> keys, RegistryClient registry, String repository) {
        if (signatures == null) {
            return Optional.of("no cosign signature (no tag " + tagOf(digest) + ")");
        }
        JsonNode layers;
        try {
            layers = Json.MAPPER.readTree(signatures.bytes()).path("layers");
        } catch (IOException e) {
            return Optional.of("its signature manifest " + signatures.digest() + " is not JSON");
        }
        List<String> why = new ArrayList<>();
        for (JsonNode layer : layers) {
            String encoded = layer.path("annotations").path(SIGNATURE_ANNOTATION).asText("");
            if (!PAYLOAD_TYPE.equals(layer.path("mediaType").asText()) || encoded.isEmpty()) {
                continue;
            }
            byte[] signed = registry.blobBytes(repository, layer.path("digest").asText(), MAX_PAYLOAD);
            if (keys.stream().noneMatch(key -> verifies(key, signed, encoded))) {
                why.add("a signature by none of the policy's keys");
                continue;
            }
            try {
                JsonNode critical = Json.MAPPER.readTree(signed).path("critical");
                String names = critical.path("image").path("docker-manifest-digest").asText();
                if (!SIGNATURE_KIND.equals(critical.path("type").asText())) {
                    why.add("a signed payload that is not a cosign image signature");
                } else if (!digest.equals(names)) {
                    why.add("a signature of " + names + ", another image");
                } else {
                    return Optional.empty();
                }
            } catch (IOException e) {
                why.add("a signed payload that is not JSON");
            }
        }
        return Optional.of(why.isEmpty() ? "its signature manifest " + tagOf(digest) + " holds no cosign signature" : "only " + String.join(", ", why));
    }

    private static boolean verifies(PublicKey key, byte[] payload, String base64Signature) {
        try {
            Signature verifier = Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(key);
            verifier.update(payload);
            return verifier.verify(Base64.getDecoder().decode(base64Signature));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
