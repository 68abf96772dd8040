package io.outpost.iacworker;

import com.fasterxml.jackson.databind.JsonNode;
import io.outpost.protocol.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What terraform said when it failed, as a run records it: its first error's headline, then where and
 * why, without colour codes, the boxes it draws around diagnostics or the preamble it puts before
 * configuration errors; from its human output or its {@code -json} diagnostics alike.
 */
final class TerraformMessages {
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*[A-Za-z]");
    private static final Pattern BOX = Pattern.compile("^[│╷╵]\\s?");
    private static final String ERROR = "Error: ";
    /** The generic first error init prints before the configuration's own. */
    private static final String INIT_PREAMBLE = "Terraform encountered problems during initiali";
    private static final int MAX_DETAIL = 400;

    private TerraformMessages() {
    }

    /** One error: its headline and the lines after it. */
    record Diagnostic(String summary, String detail) {
        String line() {
            return detail.isEmpty() ? summary : summary + ": " + detail;
        }
    }

    /** Terraform's errors in {@code output}, first the one it names first; none when it printed no error. */
    static List<Diagnostic> errors(String output) {
        List<Diagnostic> fromJson = jsonErrors(output);
        if (!fromJson.isEmpty()) {
            return fromJson;
        }
        List<Diagnostic> errors = new ArrayList<>();
        String summary = null;
        List<String> detail = new ArrayList<>();
        for (String raw : ANSI.matcher(output).replaceAll("").lines().toList()) {
            String line = BOX.matcher(raw).replaceFirst("").strip();
            if (line.startsWith(ERROR) || line.startsWith("Warning: ")) {
                add(errors, summary, detail);
                summary = line.startsWith(ERROR) ? line.substring(ERROR.length()) : null;
                detail.clear();
            } else if (summary != null && !line.isEmpty()) {
                detail.add(line);
            }
        }
        add(errors, summary, detail);
        if (errors.size() > 1 && errors.get(0).summary().startsWith(INIT_PREAMBLE)) {
            errors.remove(0);
        }
        return errors;
    }

    /** The line a run records: the first error's headline first, then the command and its exit, then the detail. */
    static String describe(String command, int exit, String stderr, String stdout) {
        List<Diagnostic> errors = errors(stderr + "\n" + stdout);
        if (errors.isEmpty()) {
            String text = ANSI.matcher(stderr.isBlank() ? stdout : stderr).replaceAll("");
            List<String> lines = text.lines().map(line -> BOX.matcher(line).replaceFirst("").strip()).filter(line -> !line.isEmpty()).toList();
            return "terraform " + command + " exited " + exit + ": " + String.join(" | ", lines.subList(Math.max(0, lines.size() - 6), lines.size()));
        }
        Diagnostic first = errors.get(0);
        return first.summary() + " (terraform " + command + " exited " + exit + ")" + (first.detail().isEmpty() ? "" : ": " + first.detail())
                + (errors.size() > 1 ? " [and " + (errors.size() - 1) + " more: " + errors.get(1).summary() + (errors.size() > 2 ? ", …" : "") + "]" : "");
    }

    private static void add(List<Diagnostic> errors, String summary, List<String> detail) {
        if (summary != null) {
            String joined = String.join(" ", detail);
            errors.add(new Diagnostic(summary, joined.length() > MAX_DETAIL ? joined.substring(0, MAX_DETAIL) + "…" : joined));
        }
    }

    private static List<Diagnostic> jsonErrors(String output) {
        List<Diagnostic> errors = new ArrayList<>();
        for (String line : output.lines().toList()) {
            if (!line.startsWith("{")) {
                continue;
            }
            try {
                JsonNode event = Json.MAPPER.readTree(line);
                JsonNode diagnostic = event.path("diagnostic");
                if ("error".equals(event.path("@level").asText()) && diagnostic.isObject()) {
                    String detail = diagnostic.path("detail").asText("").replaceAll("\\s+", " ").strip();
                    errors.add(new Diagnostic(diagnostic.path("summary").asText(), detail.length() > MAX_DETAIL ? detail.substring(0, MAX_DETAIL) + "…" : detail));
                }
            } catch (IOException notJson) {
                // a human line that happens to start with a brace
            }
        }
        return errors;
    }
}
