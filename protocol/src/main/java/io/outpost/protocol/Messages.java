package io.outpost.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Converts typed message records to and from envelope headers. */
public final class Messages {
    private Messages() {
    }

    public static ObjectNode headers(Object message) {
        return Json.MAPPER.valueToTree(message);
    }

    /** Reads the headers of {@code envelope} as {@code type}; any mismatch is a malformed message. */
    public static <T> T read(Envelope envelope, Class<T> type) {
        try {
            return Json.MAPPER.treeToValue(envelope.headers(), type);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException ? e.getCause() : e;
            String reason = cause instanceof JsonProcessingException jpe ? jpe.getOriginalMessage() : cause.getMessage();
            throw new MalformedMessageException(envelope.type() + " " + envelope.id() + " has bad headers: " + reason, e);
        }
    }
}
