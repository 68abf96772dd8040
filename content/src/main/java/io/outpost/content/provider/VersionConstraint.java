package io.outpost.content.provider;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Terraform version constraint such as {@code "~> 1.2, != 1.2.5"}: comma-separated {@code =}, {@code !=},
 * {@code >}, {@code >=}, {@code <}, {@code <=} and {@code ~>} (the rightmost given part may grow). An empty
 * constraint accepts every release; pre-releases match only when named exactly, as in Terraform.
 */
public final class VersionConstraint {
    private static final Pattern PART = Pattern.compile("(=|!=|>=|<=|>|<|~>)?\\s*v?(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?(?:-([0-9A-Za-z.-]+))?");

    private record Condition(String operator, ProviderVersion version, int parts) {
        boolean matches(ProviderVersion v) {
            int c = v.compareTo(version);
            return switch (operator) {
                case "=" -> c == 0;
                case "!=" -> c != 0;
                case ">" -> c > 0;
                case ">=" -> c >= 0;
                case "<" -> c < 0;
                case "<=" -> c <= 0;
                default -> c >= 0 && v.compareTo(pessimisticLimit()) < 0;
            };
        }

        /** {@code ~> 1.2} allows up to 2.0; {@code ~> 1.2.3} up to 1.3.0; {@code ~> 1} any 1.x or later. */
        private ProviderVersion pessimisticLimit() {
            return switch (parts) {
                case 1 -> new ProviderVersion(Integer.MAX_VALUE, 0, 0, "");
                case 2 -> new ProviderVersion(version.major() + 1, 0, 0, "");
                default -> new ProviderVersion(version.major(), version.minor() + 1, 0, "");
            };
        }
    }

    private final String text;
    private final List<Condition> conditions;

    private VersionConstraint(String text, List<Condition> conditions) {
        this.text = text;
        this.conditions = conditions;
    }

    public static VersionConstraint parse(String text) {
        String trimmed = text == null ? "" : text.strip();
        List<Condition> conditions = new ArrayList<>();
        if (!trimmed.isEmpty()) {
            for (String part : trimmed.split(",")) {
                Matcher m = PART.matcher(part.strip());
                if (!m.matches()) {
                    throw new IllegalArgumentException("illegal version constraint '" + text + "' at '" + part.strip() + "'");
                }
                int parts = m.group(4) != null ? 3 : m.group(3) != null ? 2 : 1;
                ProviderVersion version = new ProviderVersion(Integer.parseInt(m.group(2)), m.group(3) == null ? 0 : Integer.parseInt(m.group(3)),
                        m.group(4) == null ? 0 : Integer.parseInt(m.group(4)), m.group(5));
                conditions.add(new Condition(m.group(1) == null ? "=" : m.group(1), version, parts));
            }
        }
        return new VersionConstraint(trimmed, List.copyOf(conditions));
    }

    /** Exactly one version, as a lock file pins it. */
    public static VersionConstraint exactly(ProviderVersion version) {
        return parse("= " + version);
    }

    public boolean matches(ProviderVersion version) {
        if (version.isPrerelease() && conditions.stream().noneMatch(c -> c.operator().equals("=") && c.version().equals(version))) {
            return false;
        }
        return conditions.stream().allMatch(c -> c.matches(version));
    }

    /** The newest of {@code versions} this constraint accepts, as {@code terraform init} would choose. */
    public Optional<ProviderVersion> newest(Collection<ProviderVersion> versions) {
        return versions.stream().filter(this::matches).max(ProviderVersion::compareTo);
    }

    @Override
    public String toString() {
        return text;
    }
}
