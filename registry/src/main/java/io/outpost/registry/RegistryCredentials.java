package io.outpost.registry;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the login for a registry comes from, looked up each time a token or basic auth is needed (a credential
 * helper may hand out short-lived secrets). Sources: Docker's {@code config.json} ({@link DockerConfigCredentials}),
 * the environment ({@link EnvironmentCredentials}); none means anonymous.
 */
@FunctionalInterface
public interface RegistryCredentials {
    /** @param registry host[:port] as image references name it ({@code docker.io} for Docker Hub) */
    Optional<Login> loginFor(String registry);

    static RegistryCredentials none() {
        return registry -> Optional.empty();
    }

    /** The first source that has a login for the registry. */
    static RegistryCredentials firstOf(List<RegistryCredentials> sources) {
        List<RegistryCredentials> copy = List.copyOf(sources);
        return registry -> copy.stream().map(source -> source.loginFor(registry)).flatMap(Optional::stream).findFirst();
    }

    /**
     * A user and secret (a password or an access token), and where they were found, for messages.
     *
     * @param source e.g. "/root/.docker/config.json (credHelpers: ecr-login)"
     */
    record Login(String user, String secret, String source) {
        public Login {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(secret, "secret");
        }

        /** Never prints the secret. */
        @Override
        public String toString() {
            return user + " from " + source;
        }
    }
}
