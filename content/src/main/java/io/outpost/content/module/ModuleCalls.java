package io.outpost.content.module;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code module} blocks of a {@code .tf} file read without terraform: each block's {@code source} and,
 * for a registry module, its {@code version} constraint (empty for any). Only calls of modules Outpost
 * moves ({@link ModuleSource#parse}) are kept.
 */
public final class ModuleCalls {
    private static final Pattern BLOCK = Pattern.compile("(?m)^\\s*module\\s+\"[^\"]*\"\\s*\\{");
    private static final Pattern SOURCE = Pattern.compile("(?m)^\\s*source\\s*=\\s*\"([^\"]+)\"");
    private static final Pattern VERSION = Pattern.compile("(?m)^\\s*version\\s*=\\s*\"([^\"]*)\"");

    /** One call: the module and the versions it accepts. */
    public record Call(ModuleSource source, String versions) {
    }

    private ModuleCalls() {
    }

    public static List<Call> in(String tf) {
        List<Call> calls = new ArrayList<>();
        Matcher block = BLOCK.matcher(tf);
        while (block.find()) {
            String body = body(tf, block.end());
            Matcher source = SOURCE.matcher(body);
            if (source.find()) {
                Matcher version = VERSION.matcher(body);
                String versions = version.find() ? version.group(1) : "";
                ModuleSource.parse(source.group(1)).ifPresent(module -> calls.add(new Call(module, module.kind() == ModuleSource.Kind.REGISTRY ? versions : "")));
            }
        }
        return calls;
    }

    /** The text of the block whose '{' ends at {@code start}, to its matching '}' (braces in strings count too: good enough for a block's arguments). */
    private static String body(String tf, int start) {
        int depth = 1;
        for (int i = start; i < tf.length(); i++) {
            char c = tf.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return tf.substring(start, i);
            }
        }
        return tf.substring(start);
    }
}
