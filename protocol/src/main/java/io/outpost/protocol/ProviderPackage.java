package io.outpost.protocol;

import io.outpost.content.Names;
import io.outpost.content.provider.ProviderAddress;
import io.outpost.content.provider.ProviderVersion;

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

    /** How a held package is named in a {@link GitSync}: {@code HOSTNAME/NAMESPACE/TYPE/VERSION/OS_ARCH}. */
    public String key() {
        return key(source, version, platform);
    }

    public static String key(String source, String version, String platform) {
        return source + "/" + version + "/" + platform;
    }

    public static String requireKey(String key) {
        String[] parts = key == null ? new String[0] : key.split("/");
        if (parts.length != 5) {
            throw new IllegalArgumentException("illegal provider package '" + key + "': expected HOSTNAME/NAMESPACE/TYPE/VERSION/OS_ARCH");
        }
        ProviderAddress.parse(parts[0] + "/" + parts[1] + "/" + parts[2]);
        ProviderVersion.parse(parts[3]);
        Names.requirePlatform(parts[4]);
        return key;
    }

    public String filename() {
        return address().archiveName(version, platform);
    }
}
