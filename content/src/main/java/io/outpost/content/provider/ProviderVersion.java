package io.outpost.content.provider;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A provider version, {@code MAJOR.MINOR.PATCH} with an optional pre-release; ordered as semver orders them. */
public record ProviderVersion(int major, int minor, int patch, String prerelease) implements Comparable<ProviderVersion> {
    private static final Pattern SHAPE = Pattern.compile("v?(\\d{1,9})\\.(\\d{1,9})\\.(\\d{1,9})(?:-([0-9A-Za-z.-]{1,64}))?(?:\\+[0-9A-Za-z.-]{1,64})?");

    public ProviderVersion {
        prerelease = prerelease == null ? "" : prerelease;
    }

    public static ProviderVersion parse(String text) {
        Matcher m = text == null ? null : SHAPE.matcher(text.strip());
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("illegal provider version '" + text + "': expected MAJOR.MINOR.PATCH");
        }
        return new ProviderVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), m.group(4));
    }

    public boolean isPrerelease() {
        return !prerelease.isEmpty();
    }

    @Override
    public int compareTo(ProviderVersion other) {
        int c = Integer.compare(major, other.major);
        c = c != 0 ? c : Integer.compare(minor, other.minor);
        c = c != 0 ? c : Integer.compare(patch, other.patch);
        if (c != 0 || prerelease.equals(other.prerelease)) {
            return c;
        }
        if (prerelease.isEmpty() || other.prerelease.isEmpty()) {
            return prerelease.isEmpty() ? 1 : -1;
        }
        return prerelease.compareTo(other.prerelease);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch + (prerelease.isEmpty() ? "" : "-" + prerelease);
    }
}
