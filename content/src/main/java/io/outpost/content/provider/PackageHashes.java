package io.outpost.content.provider;

import io.outpost.content.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The two hashes Terraform records for a provider package: {@code zh:} is the sha256 of the zip archive
 * (what a registry's SHA256SUMS lists); {@code h1:} hashes the files inside it (Go's dirhash "Hash1": a
 * sha256 over lines {@code "<sha256 hex>  <name>\n"} sorted by name), so it stays the same however the
 * package was packed.
 */
public final class PackageHashes {
    public static final String ZIP_PREFIX = "zh:";
    public static final String H1_PREFIX = "h1:";

    private PackageHashes() {
    }

    public static String zh(String sha256Hex) {
        return ZIP_PREFIX + sha256Hex;
    }

    /** The {@code h1:} hash of the zip archive at {@code zip}, streamed entry by entry. */
    public static String h1(Path zip) {
        try (ZipFile archive = new ZipFile(zip.toFile())) {
            List<String> names = new ArrayList<>(archive.stream().map(ZipEntry::getName).toList());
            names.sort(null);
            MessageDigest summary = Digests.sha256();
            for (String name : names) {
                if (name.contains("\n")) {
                    throw new IllegalArgumentException("provider archive " + zip.getFileName() + " has an entry name with a newline");
                }
                MessageDigest file = Digests.sha256();
                try (InputStream in = archive.getInputStream(archive.getEntry(name))) {
                    byte[] buffer = new byte[64 * 1024];
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        file.update(buffer, 0, n);
                    }
                }
                summary.update((HexFormat.of().formatHex(file.digest()) + "  " + name + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return H1_PREFIX + Base64.getEncoder().encodeToString(summary.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read provider archive " + zip + " as a zip", e);
        }
    }
}
