package io.outpost.link.trust;

import io.outpost.content.Names;
import io.outpost.data.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The other sites' public keys this site trusts, one file per site under {@code DATA/<site>/keys/trusted/}.
 * Trusting a site replaces any key it had before (key rotation is trusting the new line).
 */
public final class TrustedKeys {
    private final Path dir;

    public TrustedKeys(Path dir) {
        this.dir = dir;
    }

    /** The trusted keys of the site whose own keys are {@code keys}. */
    public static TrustedKeys of(SiteKeys keys) {
        return in(keys.dir());
    }

    /** The trusted keys kept beside a site's own keys in {@code keysDir}. */
    public static TrustedKeys in(Path keysDir) {
        return new TrustedKeys(keysDir.resolve("trusted"));
    }

    public void trust(PublicKeyLine key) {
        DurableFiles.writeAtomically(dir.resolve(key.site() + ".pub"), (key + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Frames of {@code site} are no longer trusted. */
    public void forget(String site) {
        try {
            Files.deleteIfExists(dir.resolve(Names.requireOutpost(site) + ".pub"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the trusted key of " + site + " from " + dir, e);
        }
    }

    public Optional<PublicKeyLine> of(String site) {
        // a signer's name comes off the link: only a well-formed one may name a file
        if (!site.matches("[a-z0-9][a-z0-9._-]{0,62}") || !Files.exists(dir.resolve(site + ".pub"))) {
            return Optional.empty();
        }
        Path file = dir.resolve(site + ".pub");
        try {
            return Optional.of(PublicKeyLine.parse(Files.readString(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Why {@code signature} over {@code content} does not come from {@code site}; empty when it does. */
    public Optional<String> refusal(String site, byte[] content, byte[] signature) {
        Optional<PublicKeyLine> key = of(site);
        if (key.isEmpty()) {
            return Optional.of("signed by '" + site + "', whose key this site does not trust (add it with 'outpost keys trust')");
        }
        if (!SiteKeys.verify(key.get().key(), content, signature)) {
            return Optional.of("the signature does not verify with the trusted key of '" + site + "' (" + key.get().fingerprint() + ")");
        }
        return Optional.empty();
    }
}
