package io.outpost.content.provider;

import java.util.Locale;

/** Terraform's name for the platform a JVM runs on, {@code os_arch} as Go names them. */
public final class ProviderPlatform {
    private ProviderPlatform() {
    }

    public static String current() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String goos = os.startsWith("mac") ? "darwin" : os.startsWith("windows") ? "windows" : os.replaceAll("[^a-z0-9]", "");
        String goarch = switch (arch) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i686" -> "386";
            default -> arch.replaceAll("[^a-z0-9]", "");
        };
        return goos + "_" + goarch;
    }
}
