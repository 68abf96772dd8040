package io.outpost.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.outpost.protocol.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** What a registry said when it refused: the distribution spec's {@code errors} list, or the start of its text. */
final class RegistryErrors {
    private static final int MAX_TEXT = 500;

    private RegistryErrors() {
    }

    /** ": CODE: message; CODE: message", or ": TEXT" for a body that is not the spec's errors; "" for none. */
    static String detail(Object body) {
        String text = body instanceof String string ? string
                : body instanceof byte[] bytes ? new String(bytes, 0, Math.min(bytes.length, 64 * 1024), StandardCharsets.UTF_8) : "";
        if (text.isBlank()) {
            return "";
        }
        try {
            JsonNode errors = Json.MAPPER.readTree(text).path("errors");
            if (errors.isArray() && !errors.isEmpty()) {
                List<String> said = new ArrayList<>();
                errors.forEach(error -> said.add(error.path("code").asText("") + ": " + error.path("message").asText("")));
                return ": " + String.join("; ", said);
            }
        } catch (IOException notJson) {
            // said in plain text
        }
        String stripped = text.strip();
        return ": " + (stripped.length() > MAX_TEXT ? stripped.substring(0, MAX_TEXT) + "..." : stripped);
    }
}
