package io.outpost.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpost.content.Tenants;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The wire frame of an envelope: {@code "OPE2" | int headerLength | header | body}, the header being its JSON
 * raw-deflated against {@link #DICTIONARY}. One frame is what the link carries and counts; a broker property
 * copy of a few fields only helps routing. The header is most of a small message (a git update's pack is a few
 * hundred bytes), so it is compressed against the words every header repeats: 416 bytes of a bundle's header
 * become about 140. Frames of the first format ({@code "OPE1"}, plain JSON) are still read, so messages that
 * waited in a journal across an upgrade are delivered.
 */
public final class EnvelopeCodec {
    private static final byte[] MAGIC = "OPE2".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PLAIN_MAGIC = "OPE1".getBytes(StandardCharsets.US_ASCII);
    public static final int MAX_HEADER_BYTES = 64 * 1024;
    /**
     * What headers repeat, the likeliest last (deflate codes near matches in fewer bits). Never edit it: frames
     * on the link and in journals were compressed against it; a better one needs a new magic.
     */
    private static final byte[] DICTIONARY = ("{\"code\":\"\",\"message\":\"\",\"subject\":\"\"} {\"transferId\":\"\",\"haveStart\":true,"
            + "\"complete\":false,\"isFinal\":false,\"received\":[{\"from\":0,\"to\":}]} {\"transferId\":\"\",\"size\":,\"sha256\":\"\","
            + "\"chunkSize\":262144,\"carriedType\":\"\",\"carriedHeaders\":{},\"endOfRound\":false} {\"source\":\"registry.terraform.io/\","
            + "\"version\":\"\",\"versions\":\"\",\"platform\":\"linux_amd64\",\"platforms\":[\"linux_amd64\"],\"sha256\":\"\",\"h1\":\"h1:\"}"
            + " {\"repository\":\"\",\"reference\":\"sha256:\",\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
            + "\"digest\":\"sha256:\",\"base64\":\"\"}],\"blobs\":[\"sha256:\"]} {\"repository\":\"\",\"digest\":\"sha256:\",\"size\":}"
            + " ImageBlob ImageContent ImagePull ProviderGet ProviderPackage ModuleGet ModulePackage TransferReport TransferStart Chunk Error"
            + " Subscribe {\"holdings\":{\"epoch\":\"\",\"since\":0,\"upTo\":,\"digest\":\"\",\"changes\":[\"+blob sha256:\",\"-blob sha256:\","
            + "\"+provider \",\"+module \"]}} \"haves\":{\"refs/heads/main\":\"\"},\"haveBlobs\":[],\"haveProviders\":[],\"haveModules\":[],\"holdings\":null,\"ledger\":{\"epoch\":\"\",\"upTo\":}"
            + " {\"id\":\"\",\"type\":\"GitSync\",\"correlationId\":\"\",\"outpost\":\"\",\"tenant\":\"\",\"createdAt\":\"2026-01-01T00:00:00.000Z\","
            + "\"priority\":4,\"expiresAt\":\"2026-01-01T00:00:00.000Z\",\"headers\":{\"repo\":\"\",\"refs\":[\"HEAD\"],\"tips\":{\"refs/tags/\":\"\","
            + "\"refs/heads/main\":\"\"},\"needImages\":[],\"needProviders\":[],\"needModules\":[],\"head\":\"refs/heads/main\",\"ledger\":null}} GitBundle")
            .getBytes(StandardCharsets.US_ASCII);

    private final int maxBodyBytes;

    public EnvelopeCodec(int maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    public byte[] encode(Envelope envelope) {
        ObjectNode head = Json.MAPPER.createObjectNode();
        head.put("id", envelope.id());
        head.put("type", envelope.type());
        head.put("correlationId", envelope.correlationId());
        head.put("outpost", envelope.outpost());
        if (!Tenants.OUTPOST.equals(envelope.tenant())) {
            head.put("tenant", envelope.tenant());
        }
        // milliseconds are all a latency or an expiry needs; the nanoseconds of a clock would be bytes on the link
        head.put("createdAt", envelope.createdAt().truncatedTo(ChronoUnit.MILLIS).toString());
        head.put("priority", envelope.priority());
        if (envelope.expiresAt() != null) {
            head.put("expiresAt", envelope.expiresAt().truncatedTo(ChronoUnit.MILLIS).toString());
        }
        if (envelope.room() != null) {
            head.put("room", envelope.room());
        }
        head.set("headers", envelope.headers());
        byte[] json;
        try {
            json = Json.MAPPER.writeValueAsBytes(head);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise envelope headers", e);
        }
        if (json.length > MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("envelope headers are " + json.length + " bytes, over " + MAX_HEADER_BYTES);
        }
        byte[] headBytes = deflate(json);
        if (envelope.bodySize() > maxBodyBytes) {
            throw new IllegalArgumentException("body of " + envelope.bodySize() + " bytes is over the limit of " + maxBodyBytes + "; send it as a transfer");
        }
        return ByteBuffer.allocate(MAGIC.length + 4 + headBytes.length + envelope.bodySize())
                .put(MAGIC).putInt(headBytes.length).put(headBytes).put(envelope.body())
                .array();
    }

    /**
     * Where the body of {@code frame} starts (the frame layout is {@code "OPE1" | header length | header JSON | body},
     * with anything a sender appends after the body); -1 when {@code frame} is not one this codec wrote.
     */
    public static int bodyStart(byte[] frame) {
        if (frame == null || frame.length < MAGIC.length + 4 || !compressed(frame) && !plain(frame)) {
            return -1;
        }
        int headLength = ByteBuffer.wrap(frame, MAGIC.length, 4).getInt();
        return headLength < 0 || headLength > frame.length - MAGIC.length - 4 ? -1 : MAGIC.length + 4 + headLength;
    }

    public Envelope decode(byte[] frame) {
        if (frame == null || frame.length < MAGIC.length + 4) {
            throw new MalformedMessageException("frame too short to be an envelope (" + (frame == null ? 0 : frame.length) + " bytes)");
        }
        if (!compressed(frame) && !plain(frame)) {
            throw new MalformedMessageException("not an Outpost envelope: bad magic bytes");
        }
        int headLength = ByteBuffer.wrap(frame, MAGIC.length, 4).getInt();
        if (headLength < 2 || headLength > MAX_HEADER_BYTES || MAGIC.length + 4 + headLength > frame.length) {
            throw new MalformedMessageException("header length " + headLength + " is out of bounds for a frame of " + frame.length + " bytes");
        }
        int bodyStart = MAGIC.length + 4 + headLength;
        if (frame.length - bodyStart > maxBodyBytes) {
            throw new MalformedMessageException("body of " + (frame.length - bodyStart) + " bytes is over the limit of " + maxBodyBytes);
        }
        JsonNode head;
        try {
            head = Json.MAPPER.readTree(headerJson(frame, headLength));
        } catch (JsonProcessingException e) {
            throw new MalformedMessageException("envelope headers are not JSON: " + e.getOriginalMessage());
        }
        if (!(head instanceof ObjectNode) || !(head.get("headers") instanceof ObjectNode headers)) {
            throw new MalformedMessageException("envelope headers must be a JSON object with a 'headers' object");
        }
        return new Envelope(
                text(head, "id"), text(head, "type"), text(head, "correlationId"), text(head, "outpost"), tenant(head),
                instant(head, "createdAt"), head.path("priority").asInt(Envelope.DEFAULT_PRIORITY),
                head.hasNonNull("expiresAt") ? instant(head, "expiresAt") : null,
                headers, Arrays.copyOfRange(frame, bodyStart, frame.length), room(head));
    }

    private static Long room(JsonNode head) {
        JsonNode room = head.get("room");
        if (room == null || room.isNull()) {
            return null;
        }
        if (!room.canConvertToExactIntegral() || !room.canConvertToLong() || room.asLong() < 0) {
            throw new MalformedMessageException("envelope room must be a count of bytes, not " + room);
        }
        return room.asLong();
    }

    /** The header JSON of {@code frame}, as it was before compression. */
    static String headerJson(byte[] frame) {
        return headerJson(frame, bodyStart(frame) - MAGIC.length - 4);
    }

    private static String headerJson(byte[] frame, int headLength) {
        int start = MAGIC.length + 4;
        byte[] json = compressed(frame) ? inflate(frame, start, headLength) : Arrays.copyOfRange(frame, start, start + headLength);
        return new String(json, StandardCharsets.UTF_8);
    }

    private static boolean compressed(byte[] frame) {
        return Arrays.equals(frame, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    private static boolean plain(byte[] frame) {
        return Arrays.equals(frame, 0, PLAIN_MAGIC.length, PLAIN_MAGIC, 0, PLAIN_MAGIC.length);
    }

    private static byte[] deflate(byte[] json) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        try {
            deflater.setDictionary(DICTIONARY);
            deflater.setInput(json);
            deflater.finish();
            // raw deflate never grows input by more than 5 bytes per 16 KiB block
            byte[] out = new byte[json.length + 5 * (json.length / 16_384 + 1) + 16];
            int length = 0;
            while (!deflater.finished()) {
                length += deflater.deflate(out, length, out.length - length);
            }
            return Arrays.copyOf(out, length);
        } finally {
            deflater.end();
        }
    }

    /** Inflates at most {@link #MAX_HEADER_BYTES}: a header that claims more is refused, not expanded. */
    private static byte[] inflate(byte[] frame, int offset, int length) {
        Inflater inflater = new Inflater(true);
        try {
            inflater.setDictionary(DICTIONARY);
            inflater.setInput(frame, offset, length);
            byte[] out = new byte[MAX_HEADER_BYTES + 1];
            int size = 0;
            while (!inflater.finished() && size < out.length) {
                int n = inflater.inflate(out, size, out.length - size);
                if (n == 0 && (inflater.needsInput() || inflater.finished())) {
                    break;
                }
                size += n;
            }
            if (!inflater.finished()) {
                throw new MalformedMessageException(size > MAX_HEADER_BYTES ? "envelope headers inflate past " + MAX_HEADER_BYTES + " bytes"
                        : "envelope headers are cut short");
            }
            return Arrays.copyOf(out, size);
        } catch (DataFormatException e) {
            throw new MalformedMessageException("envelope headers are not a deflate stream: " + e.getMessage());
        } finally {
            inflater.end();
        }
    }

    private static String text(JsonNode head, String field) {
        JsonNode node = head.get(field);
        if (node == null || !node.isTextual() || node.asText().isBlank()) {
            throw new MalformedMessageException("envelope field '" + field + "' is missing or not a string");
        }
        return node.asText();
    }

    private static String tenant(JsonNode head) {
        if (!head.has("tenant")) {
            return Tenants.OUTPOST;
        }
        try {
            return Tenants.requireTenant(text(head, "tenant"));
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException("envelope field 'tenant': " + e.getMessage());
        }
    }

    private static Instant instant(JsonNode head, String field) {
        try {
            return Instant.parse(text(head, field));
        } catch (DateTimeParseException e) {
            throw new MalformedMessageException("envelope field '" + field + "' is not an ISO-8601 instant");
        }
    }
}
