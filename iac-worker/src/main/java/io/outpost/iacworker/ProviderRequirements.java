package io.outpost.iacworker;

import io.outpost.content.provider.LockFile;
import io.outpost.content.provider.ProviderAddress;
import io.outpost.protocol.ProviderGet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The providers a config needs before {@code terraform init}: every {@code provider[SOURCE] CONSTRAINT}
 * that {@code terraform providers} lists (the configuration's {@code required_providers}, its modules'
 * and the state's), pinned to the exact version where the config's {@code .terraform.lock.hcl} locks one.
 * Terraform's built-in providers need nothing.
 */
public final class ProviderRequirements {
    private static final Pattern REQUIREMENT = Pattern.compile("provider\\[([^\\]]+)\\]\\s*(.*)");

    private ProviderRequirements() {
    }

    /** @param providersOutput what {@code terraform providers} printed for {@code config} */
    public static List<ProviderGet> of(String providersOutput, Path config) {
        Map<String, List<String>> constraints = new LinkedHashMap<>();
        for (String line : providersOutput.lines().toList()) {
            Matcher m = REQUIREMENT.matcher(line);
            if (m.find()) {
                ProviderAddress provider = ProviderAddress.parse(m.group(1).strip());
                if (!provider.builtin()) {
                    List<String> forProvider = constraints.computeIfAbsent(provider.toString(), source -> new ArrayList<>());
                    if (!m.group(2).isBlank()) {
                        forProvider.add(m.group(2).strip());
                    }
                }
            }
        }
        Map<String, String> locked = locked(config.resolve(LockFile.NAME));
        List<ProviderGet> pulls = new ArrayList<>();
        constraints.forEach((source, versions) -> pulls.add(new ProviderGet(source,
                locked.containsKey(source) ? "= " + locked.get(source) : String.join(", ", versions.stream().distinct().toList()), List.of())));
        return pulls;
    }

    private static Map<String, String> locked(Path lockFile) {
        if (!Files.exists(lockFile)) {
            return Map.of();
        }
        try {
            return LockFile.versions(Files.readString(lockFile));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + lockFile, e);
        }
    }
}
