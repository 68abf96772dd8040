package io.outpost.protocol;

import io.outpost.content.module.ModuleSource;
import io.outpost.content.provider.VersionConstraint;

/**
 * Outpost asks for a module: a registry module's newest version that {@code versions} (a Terraform version
 * constraint; empty for any) accepts, or a git module at its ref. {@code source} is a {@link ModuleSource} as
 * messages name it.
 */
public record ModuleGet(String source, String versions) {
    public ModuleGet {
        String given = source;
        ModuleSource module = ModuleSource.parse(given)
                .orElseThrow(() -> new IllegalArgumentException("'" + given + "' is not a module Outpost moves: a registry module or git::URL"));
        source = module.toString();
        versions = module.kind() == ModuleSource.Kind.GIT ? "" : VersionConstraint.parse(versions).toString();
    }

    public ModuleSource module() {
        return ModuleSource.parse(source).orElseThrow();
    }

    public VersionConstraint constraint() {
        return VersionConstraint.parse(versions);
    }

    /** The request a {@link #subject()} names. */
    public static ModuleGet ofSubject(String subject) {
        int space = subject == null ? -1 : subject.indexOf(' ');
        return space < 0 ? new ModuleGet(subject, "") : new ModuleGet(subject.substring(0, space), subject.substring(space + 1));
    }

    /** The request as ready events and bundles' needs name it. */
    public String subject() {
        return source + (versions.isEmpty() ? "" : " " + versions);
    }
}
