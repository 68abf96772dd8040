package io.outpost.content.provider;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A provider's source address, {@code HOSTNAME/NAMESPACE/TYPE} as in {@code required_providers}; Terraform
 * compares them case-insensitively, so they are kept in lower case.
 */
public record ProviderAddress(String hostname, String namespace, String type) {
    private static final Pattern HOSTNAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:[0-9]{1,5})?");
    private static final Pattern PART = Pattern.compile("[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?");

    public ProviderAddress {
        hostname = require(hostname, HOSTNAME, "hostname");
        namespace = require(namespace, PART, "namespace");
        type = require(type, PART, "type");
    }

    /** Parses {@code HOSTNAME/NAMESPACE/TYPE}. */
    public static ProviderAddress parse(String source) {
        String[] parts = source == null ? new String[0] : source.split("/", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("illegal provider source '" + source + "': expected HOSTNAME/NAMESPACE/TYPE");
        }
        return new ProviderAddress(parts[0], parts[1], parts[2]);
    }

    /** Terraform's own providers ({@code terraform.io/builtin/...}) are part of the CLI and never installed. */
    public boolean builtin() {
        return hostname.equals("terraform.io") && namespace.equals("builtin");
    }

    /** The archive name the registry protocol and the mirrors use. */
    public String archiveName(String version, String platform) {
        return "terraform-provider-" + type + "_" + version + "_" + platform + ".zip";
    }

    @Override
    public String toString() {
        return hostname + "/" + namespace + "/" + type;
    }

    private static String require(String value, Pattern pattern, String what) {
        String lower = value == null ? null : value.toLowerCase(Locale.ROOT);
        if (lower == null || !pattern.matcher(lower).matches()) {
            throw new IllegalArgumentException("illegal provider " + what + " '" + value + "'");
        }
        return lower;
    }
}
