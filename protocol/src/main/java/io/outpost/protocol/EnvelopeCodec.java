package io.outpost.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.outpost.content.Tenants;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;

/**
 * The wire frame of an envelope: {@code "OPE1" | int headerLength | header JSON | body}. One frame is
 * what the link carries and counts; a broker property copy of a few fields only helps routing.
 */
public final class EnvelopeCodec {
    private static final byte[] MAGIC = "OPE1".getBytes(StandardCharsets.US_ASCII);
    public static final int MAX_HEADER_BYTES = 64 * 1024;

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
        head.put("createdAt", envelope.createdAt().toString());
        head.put("priority", envelope.priority());
        if (envelope.expiresAt() != null) {
            head.put("expiresAt", envelope.expiresAt().toString());
        }
        head.set("headers", envelope.headers());
        byte[] headBytes;
        try {
            headBytes = Json.MAPPER.writeValueAsBytes(head);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise envelope headers", e);
        }
        if (headBytes.length > MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("envelope headers are " + headBytes.length + " bytes, over " + MAX_HEADER_BYTES);
        }
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
        if (frame == null || frame.length < MAGIC.length + 4 || !Arrays.equals(frame, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            return -1;
        }
        int headLength = ByteBuffer.wrap(frame, MAGIC.length, 4).getInt();
        return headLength < 0 || headLength > frame.length - MAGIC.length - 4 ? -1 : MAGIC.length + 4 + headLength;
    }

    public Envelope decode(byte[] frame) {
        if (frame == null || frame.length < MAGIC.length + 4) {
            throw new MalformedMessageException("frame too short to be an envelope (" + (frame == null ? 0 : frame.length) + " bytes)");
        }
        if (!Arrays.equals(frame, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
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
            head = Json.MAPPER.readTree(new String(frame, MAGIC.length + 4, headLength, StandardCharsets.UTF_8));
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
                headers, Arrays.copyOfRange(frame, bodyStart, frame.length));
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
