package io.outpost.link.trust;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A site's public key as one line an operator can copy between sites: {@code ed25519 <base64> <site>},
 * the key in X.509 SubjectPublicKeyInfo form.
 */
public record PublicKeyLine(String site, PublicKey key) {
    static final String ALGORITHM = "Ed25519";
    private static final Pattern LINE = Pattern.compile("ed25519\\s+([A-Za-z0-9+/=]{40,80})\\s+([a-z0-9][a-z0-9._-]{0,62})");

    public PublicKeyLine {
        if (site == null || !site.matches("[a-z0-9][a-z0-9._-]{0,62}")) {
            throw new IllegalArgumentException("a site name is lower-case letters, digits, '.', '_' or '-' (at most 63): '" + site + "'");
        }
    }

    public static PublicKeyLine parse(String text) {
        Matcher line = LINE.matcher(text.trim());
        if (!line.matches()) {
            throw new IllegalArgumentException("not a public key line (ed25519 BASE64 SITE, as 'outpost keys show' prints it): '" + text.trim() + "'");
        }
        try {
            byte[] encoded = Base64.getDecoder().decode(line.group(1));
            return new PublicKeyLine(line.group(2), KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(encoded)));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            throw new IllegalArgumentException("the key of '" + line.group(2) + "' is not an Ed25519 public key: " + e.getMessage());
        }
    }

    /** The key's short fingerprint, for logs and confirmations. */
    public String fingerprint() {
        return SiteKeys.fingerprint(key);
    }

    @Override
    public String toString() {
        return "ed25519 " + Base64.getEncoder().encodeToString(key.getEncoded()) + " " + site;
    }
}
