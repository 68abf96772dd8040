package io.outpost.gateway.media;

import io.outpost.content.Digests;
import io.outpost.link.Outbox;
import io.outpost.link.trust.SiteKeys;
import io.outpost.protocol.Envelope;
import io.outpost.protocol.EnvelopeCodec;
import io.outpost.protocol.Json;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Writes the answers to an outpost's inventory into one archive for removable media instead of onto the
 * link: a gzipped tar of the envelopes and their bodies, streamed, in the order the link would have carried
 * them, closed by a manifest signed with this site's key. The file appears complete or not at all.
 */
public final class ArchiveWriter implements Outbox, AutoCloseable {
    private final Path target;
    private final Path partial;
    private final String outpost;
    private final SiteKeys keys;
    private final EnvelopeCodec codec;
    private final Clock clock;
    private final TarArchiveOutputStream tar;
    private final List<ArchiveManifest.Entry> entries = new ArrayList<>();
    private final Set<String> bodiesWritten = new HashSet<>();
    private final List<String> typesWritten = new ArrayList<>();
    private boolean finished;

    public ArchiveWriter(Path target, String outpost, SiteKeys keys, EnvelopeCodec codec, Clock clock) {
        this.target = target.toAbsolutePath();
        this.partial = this.target.resolveSibling(this.target.getFileName() + ".partial");
        this.outpost = outpost;
        this.keys = keys;
        this.codec = codec;
        this.clock = clock;
        try {
            Files.createDirectories(this.target.getParent());
            // gzipped, in 512-byte records: tar's headers and padding are most of a small update's archive otherwise
            tar = new TarArchiveOutputStream(new GZIPOutputStream(new BufferedOutputStream(Files.newOutputStream(partial), 1 << 16), 1 << 16), 512);
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + partial, e);
        }
    }

    @Override
    public void send(Envelope envelope) {
        byte[] encoded = codec.encode(envelope);
        typesWritten.add(envelope.type());
        write(String.format("%06d-%s.envelope", typesWritten.size(), envelope.type()), encoded);
    }

    @Override
    public void send(Envelope message, Path body) {
        send(message);
        String name = entries.get(entries.size() - 1).name().replace(".envelope", ".body");
        try (DigestInputStream in = new DigestInputStream(Files.newInputStream(body), Digests.sha256())) {
            long size = Files.size(body);
            tar.putArchiveEntry(entry(name, size));
            in.transferTo(tar);
            tar.closeArchiveEntry();
            entries.add(new ArchiveManifest.Entry(name, size, HexFormat.of().formatHex(in.getMessageDigest().digest())));
            Files.delete(body);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + body + " into " + partial, e);
        }
        message.headers().properties().forEach(field -> bodiesWritten.add(message.type() + " " + field.getKey() + "=" + field.getValue().asText()));
    }

    @Override
    public void send(Envelope message, Path body, String knownSha256) {
        send(message, body);
    }

    /** A body already in this archive is not written twice (two images sharing a layer). */
    @Override
    public boolean sending(String type, String field, String value) {
        return bodiesWritten.contains(type + " " + field + "=" + value);
    }

    /** The message types written so far, in order. */
    public List<String> types() {
        return List.copyOf(typesWritten);
    }

    /** Signs the manifest, closes the archive and moves it into place; returns its size in bytes. */
    public long finish() {
        try {
            byte[] manifest = Json.MAPPER.writeValueAsBytes(
                    new ArchiveManifest(ArchiveManifest.FORMAT, keys.site(), outpost, clock.instant(), entries));
            writeUnlisted(ArchiveManifest.MANIFEST, manifest);
            writeUnlisted(ArchiveManifest.SIGNATURE, keys.sign(manifest));
            tar.finish();
            tar.close();
            try (FileChannel written = FileChannel.open(partial, StandardOpenOption.WRITE)) {
                written.force(true);
            }
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            finished = true;
            return Files.size(target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot finish " + target, e);
        }
    }

    /** Without {@link #finish()}, nothing is left behind. */
    @Override
    public void close() {
        if (!finished) {
            try {
                tar.close();
                Files.deleteIfExists(partial);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove " + partial, e);
            }
        }
    }

    private void write(String name, byte[] content) {
        writeUnlisted(name, content);
        entries.add(new ArchiveManifest.Entry(name, content.length, Digests.sha256(content)));
    }

    private void writeUnlisted(String name, byte[] content) {
        try {
            tar.putArchiveEntry(entry(name, content.length));
            tar.write(content);
            tar.closeArchiveEntry();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + partial, e);
        }
    }

    private TarArchiveEntry entry(String name, long size) {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(size);
        entry.setModTime(clock.millis());
        return entry;
    }
}
