package io.outpost.protocol;

import java.util.Objects;

/** Outpost-local: an operator asks the outpost gateway to verify and apply an archive from removable media at {@code path}. */
public record ImportArchive(String path) {
    public ImportArchive {
        Objects.requireNonNull(path, "path");
    }

    /** The subject of the ready event that tells how the import went. */
    public String subject() {
        return "import:" + path;
    }
}
