package io.outpost.registry;

import java.util.Map;
import java.util.Optional;

/**
 * Logins from the environment, one pair of variables per registry, named after its host as Terraform names its
 * {@code TF_TOKEN_<host>} variables: {@code OUTPOST_REGISTRY_USER_ghcr_io} and {@code OUTPOST_REGISTRY_PASSWORD_ghcr_io}
 * (every character of host[:port] that is not a letter or digit becomes {@code _}).
 */
public final class EnvironmentCredentials implements RegistryCredentials {
    static final String USER = "OUTPOST_REGISTRY_USER_";
    static final String PASSWORD = "OUTPOST_REGISTRY_PASSWORD_";

    private final Map<String, String> environment;

    public EnvironmentCredentials(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    @Override
    public Optional<Login> loginFor(String registry) {
        String suffix = registry.replaceAll("[^A-Za-z0-9]", "_");
        String user = environment.get(USER + suffix);
        String password = environment.get(PASSWORD + suffix);
        if (user == null || password == null) {
            return Optional.empty();
        }
        return Optional.of(new Login(user, password, "the environment (" + USER + suffix + ")"));
    }
}
