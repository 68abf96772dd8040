package io.outpost.protocol;

import io.outpost.provider.ProviderAddress;
import io.outpost.provider.ProviderVersion;

/**
 * One provider package for one platform; the body is the zip archive, which must hash to {@code sha256}
 * (the origin's SHA256SUMS entry, Terraform's {@code zh:}) and whose files must hash to {@code h1}.
 */
public record ProviderPackage(String source, String version, String platform, String sha256, String h1, long size) {
    public ProviderPackage {
        source = ProviderAddress.parse(source).toString();
        version = ProviderVersion.parse(version).toString();
        Names.requirePlatform(platform);
        Names.requireSha256(sha256);
        if (h1 == null || !h1.matches("h1:[A-Za-z0-9+/]{43}=")) {
            throw new IllegalArgumentException("illegal h1 hash '" + h1 + "'");
        }
        if (size < 0) {
            throw new IllegalArgumentException("negative package size");
        }
    }

    public ProviderAddress address() {
        return ProviderAddress.parse(source);
    }

    public String filename() {
        return address().archiveName(version, platform);
    }
}
