package io.outpost.content.provider;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Terraform's dependency lock file, {@code .terraform.lock.hcl}: which version of each provider a config is locked to. */
public final class LockFile {
    public static final String NAME = ".terraform.lock.hcl";
    private static final Pattern LOCKED = Pattern.compile("provider\\s+\"([^\"]+)\"\\s*\\{[^}]*?\\bversion\\s*=\\s*\"([^\"]+)\"", Pattern.DOTALL);

    private LockFile() {
    }

    /** Locked version by provider source; entries whose source is not an address are left out. */
    public static Map<String, String> versions(String text) {
        Map<String, String> versions = new LinkedHashMap<>();
        Matcher locked = LOCKED.matcher(text == null ? "" : text);
        while (locked.find()) {
            try {
                versions.put(ProviderAddress.parse(locked.group(1)).toString(), locked.group(2));
            } catch (IllegalArgumentException notAnAddress) {
                // terraform init reports a broken lock file
            }
        }
        return versions;
    }
}
