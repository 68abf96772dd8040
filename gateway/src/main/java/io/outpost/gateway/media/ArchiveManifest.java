package io.outpost.gateway.media;

import java.time.Instant;
import java.util.List;

/**
 * The signed table of contents of an archive: who made it, for which outpost, and every entry with its
 * size and sha256, in the order they are applied. The signature covers these bytes exactly, so nothing
 * in the archive can be changed, added, dropped or reordered without the import refusing it.
 *
 * @param from the site whose key signed it
 * @param outpost the outpost it was made for; any other refuses it
 */
record ArchiveManifest(String format, String from, String outpost, Instant createdAt, List<Entry> entries) {
    static final String FORMAT = "outpost-archive/1";
    static final String MANIFEST = "manifest.json";
    static final String SIGNATURE = "manifest.sig";

    record Entry(String name, long size, String sha256) {
    }

    ArchiveManifest {
        entries = List.copyOf(entries);
    }
}
