package io.outpost.gateway.media;

import io.outpost.content.Digests;
import io.outpost.data.DurableFiles;
import io.outpost.link.trust.TrustedKeys;
import io.outpost.protocol.Envelope;
import io.outpost.protocol.EnvelopeCodec;
import io.outpost.protocol.Json;
import io.outpost.protocol.MalformedMessageException;
import io.outpost.protocol.transfer.Delivery;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Checks an archive before anything of it is applied: unpacks it (streamed) into a staging directory,
 * then verifies the manifest's signature against the trusted key of its signer, that it was made for
 * this outpost, and that every entry is there, unchanged, and nothing else is. Any failure removes the
 * staging directory and refuses the archive with its reason.
 */
public final class ArchiveReader {
    private static final Pattern ENTRY = Pattern.compile("(\\d{6})-([A-Za-z]{1,40})\\.(envelope|body)");
    private static final int MAX_MANIFEST_BYTES = 16 * 1024 * 1024;
    private static final int MAX_SIGNATURE_BYTES = 1024;

    private final String outpost;
    private final TrustedKeys trusted;
    private final EnvelopeCodec codec;
    private final Set<String> types;

    /** @param types the message types this outpost applies; an archive carrying any other is refused */
    public ArchiveReader(String outpost, TrustedKeys trusted, EnvelopeCodec codec, Set<String> types) {
        this.outpost = outpost;
        this.trusted = trusted;
        this.codec = codec;
        this.types = Set.copyOf(types);
    }

    private record Unpacked(long size, String sha256) {
    }

    public VerifiedArchive read(Path archive, Path staging) throws ArchiveRefusedException {
        try {
            DurableFiles.deleteTree(staging);
            Files.createDirectories(staging);
            return verify(archive, staging);
        } catch (ArchiveRefusedException | RuntimeException e) {
            DurableFiles.deleteTree(staging);
            throw e;
        } catch (IOException e) {
            DurableFiles.deleteTree(staging);
            throw new ArchiveRefusedException("cannot unpack " + archive + ": " + e.getMessage());
        }
    }

    private VerifiedArchive verify(Path archive, Path staging) throws ArchiveRefusedException, IOException {
        Map<String, Unpacked> unpacked = new HashMap<>();
        byte[] manifestBytes = null;
        byte[] signature = null;
        try (TarArchiveInputStream tar = new TarArchiveInputStream(unpacked(archive))) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                String name = entry.getName();
                if (name.equals(ArchiveManifest.MANIFEST)) {
                    manifestBytes = small(tar, entry, MAX_MANIFEST_BYTES);
                } else if (name.equals(ArchiveManifest.SIGNATURE)) {
                    signature = small(tar, entry, MAX_SIGNATURE_BYTES);
                } else if (!entry.isFile() || !ENTRY.matcher(name).matches() || unpacked.containsKey(name)) {
                    throw new ArchiveRefusedException("the archive holds an entry no Outpost archive has: '" + name + "'");
                } else {
                    unpacked.put(name, unpack(tar, staging.resolve(name)));
                }
            }
        } catch (IOException e) {
            throw new ArchiveRefusedException("the archive is damaged or truncated (" + e.getMessage() + ")");
        }
        if (manifestBytes == null || signature == null) {
            throw new ArchiveRefusedException("the archive has no signed manifest: it is truncated or not an Outpost archive");
        }
        ArchiveManifest manifest = manifest(manifestBytes);
        Optional<String> untrusted = trusted.refusal(manifest.from(), manifestBytes, signature);
        if (untrusted.isPresent()) {
            throw new ArchiveRefusedException("the archive's manifest: " + untrusted.get());
        }
        if (!outpost.equals(manifest.outpost())) {
            throw new ArchiveRefusedException("the archive was made for outpost '" + manifest.outpost() + "', this is '" + outpost + "'");
        }
        checkEntries(manifest, unpacked);
        return new VerifiedArchive(manifest.from(), manifest.createdAt(), deliveries(manifest, staging), staging);
    }

    private static ArchiveManifest manifest(byte[] bytes) throws ArchiveRefusedException {
        try {
            ArchiveManifest manifest = Json.MAPPER.readValue(bytes, ArchiveManifest.class);
            if (!ArchiveManifest.FORMAT.equals(manifest.format()) || manifest.from() == null || manifest.entries() == null) {
                throw new ArchiveRefusedException("the archive's manifest is not of format " + ArchiveManifest.FORMAT);
            }
            return manifest;
        } catch (IOException e) {
            throw new ArchiveRefusedException("the archive's manifest is not readable: " + e.getMessage());
        }
    }

    private static void checkEntries(ArchiveManifest manifest, Map<String, Unpacked> unpacked) throws ArchiveRefusedException {
        for (ArchiveManifest.Entry listed : manifest.entries()) {
            Unpacked found = unpacked.remove(listed.name());
            if (found == null) {
                throw new ArchiveRefusedException("entry " + listed.name() + " of the manifest is missing from the archive");
            }
            if (found.size() != listed.size() || !found.sha256().equals(listed.sha256())) {
                throw new ArchiveRefusedException("entry " + listed.name() + " does not match the manifest (sha256 " + found.sha256()
                        + ", " + found.size() + " bytes; signed: " + listed.sha256() + ", " + listed.size() + " bytes)");
            }
        }
        if (!unpacked.isEmpty()) {
            throw new ArchiveRefusedException("the archive holds entries its manifest does not list: " + unpacked.keySet());
        }
    }

    private List<Delivery> deliveries(ArchiveManifest manifest, Path staging) throws ArchiveRefusedException, IOException {
        List<ArchiveManifest.Entry> entries = manifest.entries();
        List<Delivery> deliveries = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String name = entries.get(i).name();
            if (!name.endsWith(".envelope")) {
                throw new ArchiveRefusedException("entry " + name + " is a body with no message before it");
            }
            Envelope message = decode(name, Files.readAllBytes(staging.resolve(name)));
            String bodyName = name.replace(".envelope", ".body");
            if (i + 1 < entries.size() && entries.get(i + 1).name().equals(bodyName)) {
                i++;
                deliveries.add(new Delivery(message, staging.resolve(bodyName), entries.get(i).sha256()));
            } else {
                deliveries.add(new Delivery(message, null));
            }
        }
        return deliveries;
    }

    private Envelope decode(String name, byte[] frame) throws ArchiveRefusedException {
        try {
            Envelope message = codec.decode(frame);
            if (!types.contains(message.type()) || !name.contains("-" + message.type() + ".")) {
                throw new ArchiveRefusedException("entry " + name + " is a " + message.type() + " message, which an outpost does not apply");
            }
            if (!outpost.equals(message.outpost())) {
                throw new ArchiveRefusedException("entry " + name + " is a message for outpost '" + message.outpost() + "'");
            }
            return message;
        } catch (MalformedMessageException e) {
            throw new ArchiveRefusedException("entry " + name + " is not a well-formed message: " + e.getMessage());
        }
    }

    /** The archive's tar stream: gunzipped, or as it is for the plain tar of earlier builds. */
    private static InputStream unpacked(Path archive) throws IOException {
        BufferedInputStream in = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
        in.mark(2);
        boolean gzipped = in.read() == 0x1f && in.read() == 0x8b;
        in.reset();
        return gzipped ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16) : in;
    }

    private static byte[] small(InputStream tar, TarArchiveEntry entry, int max) throws ArchiveRefusedException, IOException {
        if (entry.getSize() > max) {
            throw new ArchiveRefusedException(entry.getName() + " is " + entry.getSize() + " bytes, over " + max);
        }
        return tar.readNBytes(max);
    }

    private static Unpacked unpack(InputStream tar, Path file) throws IOException {
        DigestOutputStream out = new DigestOutputStream(Files.newOutputStream(file), Digests.sha256());
        long size;
        try (OutputStream closing = out) {
            size = tar.transferTo(closing);
        }
        return new Unpacked(size, HexFormat.of().formatHex(out.getMessageDigest().digest()));
    }
}
