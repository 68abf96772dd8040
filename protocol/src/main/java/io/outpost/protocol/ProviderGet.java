package io.outpost.protocol;

import io.outpost.content.Names;
import io.outpost.content.provider.ProviderAddress;
import io.outpost.content.provider.ProviderPlatform;
import io.outpost.content.provider.VersionConstraint;
import java.util.List;

/**
 * Outpost asks for the newest version of provider {@code source} that {@code versions} (a Terraform
 * version constraint; empty for any) accepts, built for each of {@code platforms} (os_arch; this machine's when none are given).
 */
public record ProviderGet(String source, String versions, List<String> platforms) {
    public ProviderGet {
        source = ProviderAddress.parse(source).toString();
        versions = VersionConstraint.parse(versions).toString();
        platforms = List.copyOf(platforms == null || platforms.isEmpty() ? List.of(ProviderPlatform.current()) : platforms);
        platforms.forEach(Names::requirePlatform);
    }

    public ProviderAddress address() {
        return ProviderAddress.parse(source);
    }

    public VersionConstraint constraint() {
        return VersionConstraint.parse(versions);
    }

    /** The request a {@link #subject()} names. */
    public static ProviderGet ofSubject(String subject) {
        int space = subject == null ? -1 : subject.indexOf(' ');
        return space < 0 ? new ProviderGet(subject, "", List.of()) : new ProviderGet(subject.substring(0, space), subject.substring(space + 1), List.of());
    }

    /** The request as workers and ready events name it. */
    public String subject() {
        return source + (versions.isEmpty() ? "" : " " + versions);
    }
}
