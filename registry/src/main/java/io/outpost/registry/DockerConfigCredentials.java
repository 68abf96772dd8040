package io.outpost.registry;

import com.fasterxml.jackson.databind.JsonNode;
import io.outpost.content.ImageRef;
import io.outpost.protocol.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Logins as Docker, podman and skopeo keep them, in a {@code config.json} (or podman's {@code auth.json}), read at each
 * lookup so a {@code docker login} meanwhile counts. Docker's order: a registry's {@code credHelpers} entry, else the
 * {@code credsStore}, else its {@code auths} entry ({@code auth}: base64 of user:password, or {@code username} and
 * {@code password}). A helper is the program {@code docker-credential-NAME} on the PATH, run as {@code get} with the
 * server on its standard input, as Docker runs it. Keys match by host[:port], with or without a scheme or path;
 * Docker Hub's are {@code https://index.docker.io/v1/}, {@code docker.io} or {@code registry-1.docker.io}.
 * OAuth identity tokens (a helper's {@code <token>} user) are not supported: use a password or an access token.
 */
public final class DockerConfigCredentials implements RegistryCredentials {
    private static final String HELPER = "docker-credential-";
    private static final String DOCKER_HUB_SERVER = "https://index.docker.io/v1/";
    private static final List<String> DOCKER_HUB_NAMES = List.of(ImageRef.DOCKER_HUB, "index.docker.io", "registry-1.docker.io");

    private final Path file;
    private final List<Path> helperDirectories;

    /** @param helperDirectories where to look for {@code docker-credential-NAME} (the PATH's directories) */
    public DockerConfigCredentials(Path file, List<Path> helperDirectories) {
        this.file = file;
        this.helperDirectories = List.copyOf(helperDirectories);
    }

    /**
     * The file the tools at this machine use: {@code REGISTRY_AUTH_FILE} when set (podman, skopeo), else
     * {@code $DOCKER_CONFIG/config.json}, else {@code ~/.docker/config.json}; helpers looked for on {@code PATH}.
     */
    public static DockerConfigCredentials fromEnvironment(Map<String, String> environment, Path home) {
        Path file = environment.containsKey("REGISTRY_AUTH_FILE") ? Path.of(environment.get("REGISTRY_AUTH_FILE"))
                : environment.containsKey("DOCKER_CONFIG") ? Path.of(environment.get("DOCKER_CONFIG"), "config.json")
                : home.resolve(".docker").resolve("config.json");
        return new DockerConfigCredentials(file, pathOf(environment));
    }

    public static List<Path> pathOf(Map<String, String> environment) {
        return java.util.Arrays.stream(environment.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin").split(":"))
                .filter(dir -> !dir.isEmpty()).map(Path::of).toList();
    }

    public Path file() {
        return file;
    }

    @Override
    public Optional<Login> loginFor(String registry) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        JsonNode config;
        try {
            config = Json.MAPPER.readTree(file.toFile());
        } catch (IOException e) {
            throw new RegistryException("cannot read the registry logins in " + file + ": " + e.getMessage()
                    + "; fix or remove the file (it is Docker's config.json format)", 401);
        }
        Optional<String> helper = entry(config.path("credHelpers"), registry).map(JsonNode::asText)
                .or(() -> Optional.ofNullable(config.path("credsStore").textValue()).filter(name -> !name.isBlank()));
        if (helper.isPresent()) {
            return fromHelper(helper.get(), registry);
        }
        return entry(config.path("auths"), registry).flatMap(auth -> fromAuths(auth, registry));
    }

    private Optional<Login> fromAuths(JsonNode auth, String registry) {
        String source = file + " (auths)";
        if (auth.hasNonNull("auth") && !auth.path("auth").asText().isEmpty()) {
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(auth.path("auth").asText()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new RegistryException("the login for " + registry + " in " + source + " is not base64 of user:password", 401);
            }
            int colon = decoded.indexOf(':');
            if (colon < 0) {
                throw new RegistryException("the login for " + registry + " in " + source + " is not user:password", 401);
            }
            return Optional.of(new Login(decoded.substring(0, colon), decoded.substring(colon + 1), source));
        }
        if (auth.hasNonNull("username") && auth.hasNonNull("password")) {
            return Optional.of(new Login(auth.path("username").asText(), auth.path("password").asText(), source));
        }
        return Optional.empty();
    }

    private Optional<Login> fromHelper(String name, String registry) {
        String program = HELPER + name;
        Path executable = helperDirectories.stream().map(dir -> dir.resolve(program)).filter(Files::isExecutable).findFirst()
                .orElseThrow(() -> new RegistryException(file + " names the credential helper '" + name + "' for " + registry
                        + ", but " + program + " is not on the PATH: install it or change the file", 401));
        String source = file + " (credential helper " + name + ")";
        String server = dockerHub(registry) ? DOCKER_HUB_SERVER : registry;
        try {
            Process process = new ProcessBuilder(executable.toString(), "get").redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (OutputStream in = process.getOutputStream()) {
                in.write(server.getBytes(StandardCharsets.UTF_8));
            }
            byte[] out = process.getInputStream().readNBytes(64 * 1024);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new RegistryException(program + " did not answer within 30 s for " + registry, 401);
            }
            String text = new String(out, StandardCharsets.UTF_8).strip();
            if (process.exitValue() != 0) {
                // Docker's helpers say "credentials not found in native keychain" for a registry they have no login for
                if (text.contains("credentials not found")) {
                    return Optional.empty();
                }
                throw new RegistryException(program + " get failed for " + registry + " (exit " + process.exitValue() + "): " + text, 401);
            }
            JsonNode answer = Json.MAPPER.readTree(text);
            String user = answer.path("Username").asText("");
            if (user.equals("<token>")) {
                throw new RegistryException(program + " holds an OAuth identity token for " + registry
                        + ", which Outpost does not use: log in with a password or an access token", 401);
            }
            return Optional.of(new Login(user, answer.path("Secret").asText(""), source));
        } catch (IOException e) {
            throw new RegistryException("cannot run " + program + " for " + registry + ": " + e.getMessage(), 401);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException("interrupted running " + program, e);
        }
    }

    /** The value under the key that names {@code registry}, however the file spells it. */
    private static Optional<JsonNode> entry(JsonNode map, String registry) {
        for (Map.Entry<String, JsonNode> field : map.properties()) {
            String host = field.getKey().replaceFirst("^[a-z]+://", "").replaceFirst("/.*$", "");
            if (host.equals(registry) || dockerHub(host) && dockerHub(registry)) {
                return Optional.of(field.getValue());
            }
        }
        return Optional.empty();
    }

    private static boolean dockerHub(String registry) {
        return DOCKER_HUB_NAMES.contains(registry);
    }
}
