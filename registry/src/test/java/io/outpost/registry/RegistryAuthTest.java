package io.outpost.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real CNCF Distribution registry with token auth ({@code auth: token}) trusting a token server that issues real JWTs. */
class RegistryAuthTest {
    private static final String PASSWORD = "p@ss:w/rd";

    @TempDir
    Path dir;
    private TokenServer tokens;
    private RegistryProcess registry;
    private RegistryEndpoint endpoint;
    private Manifest pushed;

    @BeforeEach
    void privateRegistryWithAnImage() throws Exception {
        tokens = TokenServer.start(dir.resolve("tokens"), Set.of())
                .user("ci", "push-secret", Set.of("pull", "push"))
                .user("reader", PASSWORD, Set.of("pull"));
        registry = RegistryProcess.start(RegistryProcess.DEFAULT_BINARY, dir.resolve("registry"), 0,
                new RegistryProcess.Options(tokens.registryAuth(), null, null));
        endpoint = RegistryEndpoint.of(registry.url().toString());
        RegistryClient ci = new RegistryClient(endpoint, new EnvironmentCredentials(Map.of(
                EnvironmentCredentials.USER + host(), "ci", EnvironmentCredentials.PASSWORD + host(), "push-secret")));
        TestImages images = new TestImages(ci, dir);
        pushed = images.image("team/app", "v1", images.config("team/app", "{\"os\":\"linux\"}"), List.of(images.layer("team/app", 1, 50_000)));
    }

    @AfterEach
    void stop() {
        registry.close();
        tokens.close();
    }

    @Test
    void theLoginInDockersConfigPullsTheImageByteForByteWithOneTokenPerScope() throws Exception {
        Path config = dockerConfig("{\"auths\":{\"" + registry.address() + "\":{\"auth\":\""
                + Base64.getEncoder().encodeToString(("reader:" + PASSWORD).getBytes(StandardCharsets.UTF_8)) + "\"}}}");
        RegistryClient reader = new RegistryClient(endpoint, new DockerConfigCredentials(config, List.of()));
        int before = tokens.issued();

        Manifest served = reader.manifest("team/app", "v1");
        String layer = ManifestContents.of(served).blobs().get(1).digest();
        reader.pullBlob("team/app", layer, dir.resolve("layer"));
        assertThat(reader.hasManifest("team/app", pushed.digest())).isTrue();

        assertThat(served.bytes()).isEqualTo(pushed.bytes());
        assertThat(served.digest()).isEqualTo(pushed.digest());
        assertThat(tokens.issued() - before).as("one token for repository:team/app:pull, kept for the later requests").isEqualTo(1);
    }

    @Test
    void withoutALoginAPrivateImageIsUnauthorizedAndSaysItWentAnonymously() {
        assertThatThrownBy(() -> new RegistryClient(endpoint).manifest("team/app", "v1"))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.status()).isEqualTo(401))
                .hasMessageContaining("unauthorized").hasMessageContaining("anonymously");
    }

    @Test
    void aWrongPasswordIsUnauthorizedAndNamesTheFileTheLoginCameFrom() throws Exception {
        Path config = dockerConfig("{\"auths\":{\"http://" + registry.address() + "/v2/\":{\"username\":\"reader\",\"password\":\"wrong\"}}}");

        assertThatThrownBy(() -> new RegistryClient(endpoint, new DockerConfigCredentials(config, List.of())).manifest("team/app", "v1"))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.status()).isEqualTo(401))
                .hasMessageContaining("refused").hasMessageContaining(config.toString()).hasMessageContaining("invalid username or password")
                .hasMessageNotContaining("wrong");
    }

    @Test
    void aLoginThatMayNotPushIsForbiddenNotUnauthorized() {
        RegistryClient reader = new RegistryClient(endpoint, new EnvironmentCredentials(Map.of(
                EnvironmentCredentials.USER + host(), "reader", EnvironmentCredentials.PASSWORD + host(), PASSWORD)));

        assertThatThrownBy(() -> reader.putManifest("team/app", "v2", pushed))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.status()).isEqualTo(403))
                .hasMessageContaining("forbidden").hasMessageContaining("repository:team/app:pull,push");
    }

    @Test
    void aCredentialHelperNamedInTheConfigGivesTheLoginAsDockerAsksIt() throws Exception {
        Path helpers = Files.createDirectories(dir.resolve("bin"));
        Path asked = dir.resolve("asked");
        Path helper = helpers.resolve("docker-credential-outposttest");
        Files.writeString(helper, """
                #!/bin/sh
                test "$1" = get || exit 2
                cat > %s
                printf '{"ServerURL":"%s","Username":"reader","Secret":"%s"}'
                """.formatted(asked, registry.address(), PASSWORD));
        Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwx------"));
        Path config = dockerConfig("{\"credHelpers\":{\"" + registry.address() + "\":\"outposttest\"},\"auths\":{}}");

        Manifest served = new RegistryClient(endpoint, new DockerConfigCredentials(config, List.of(helpers))).manifest("team/app", "v1");

        assertThat(served.digest()).isEqualTo(pushed.digest());
        assertThat(Files.readString(asked)).as("the server, on the helper's standard input").isEqualTo(registry.address());
    }

    @Test
    void aHelperThatIsNotInstalledIsAnErrorThatSaysSo() throws Exception {
        Path config = dockerConfig("{\"credsStore\":\"nothere\"}");

        assertThatThrownBy(() -> new RegistryClient(endpoint, new DockerConfigCredentials(config, List.of(dir))).manifest("team/app", "v1"))
                .isInstanceOf(RegistryException.class).hasMessageContaining("docker-credential-nothere is not on the PATH");
    }

    @Test
    void aTokenIsFetchedAgainWhenItExpiresOrTheRegistryRefusesIt() {
        RegistryClient reader = new RegistryClient(endpoint, new EnvironmentCredentials(Map.of(
                EnvironmentCredentials.USER + host(), "reader", EnvironmentCredentials.PASSWORD + host(), PASSWORD)));
        tokens.nextTokenExpired();
        int before = tokens.issued();

        assertThat(reader.manifest("team/app", "v1").digest()).isEqualTo(pushed.digest());
        assertThat(tokens.issued() - before).as("the refused token, then a good one").isEqualTo(2);

        tokens.lifetime(Duration.ofSeconds(2));
        RegistryClient later = new RegistryClient(endpoint, new EnvironmentCredentials(Map.of(
                EnvironmentCredentials.USER + host(), "reader", EnvironmentCredentials.PASSWORD + host(), PASSWORD)));
        later.manifest("team/app", "v1");
        int shortToken = tokens.issued();
        later.manifest("team/app", pushed.digest());
        assertThat(tokens.issued()).as("kept within its life").isEqualTo(shortToken);
        org.awaitility.Awaitility.await().pollDelay(Duration.ofMillis(1900)).atMost(Duration.ofSeconds(5)).until(() -> true);
        later.manifest("team/app", "v1");
        assertThat(tokens.issued()).as("renewed near the end of its life, not sent past it").isEqualTo(shortToken + 1);
    }

    @Test
    void a429IsWaitedOutForAsLongAsRetryAfterSays() {
        try (RateLimitingProxy busy = RateLimitingProxy.in(registry.url())) {
            RegistryClient reader = new RegistryClient(RegistryEndpoint.of(busy.url().toString()), new EnvironmentCredentials(Map.of(
                    EnvironmentCredentials.USER + host(busy), "reader", EnvironmentCredentials.PASSWORD + host(busy), PASSWORD)));
            busy.rateLimitNext("/manifests/", "1");
            long start = System.nanoTime();

            assertThat(reader.manifest("team/app", "v1").digest()).isEqualTo(pushed.digest());

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
            assertThat(busy.requests().stream().filter(request -> request.startsWith("GET") && request.contains("/manifests/v1")))
                    .as("refused once, asked again after the wait").hasSize(3);
        }
    }

    @Test
    void a429AskingForLongerThanARequestWaitsIsRateLimited() {
        try (RateLimitingProxy busy = RateLimitingProxy.in(registry.url())) {
            RegistryClient reader = new RegistryClient(RegistryEndpoint.of(busy.url().toString()), RegistryCredentials.none(),
                    Clock.systemUTC(), Duration.ofSeconds(30));
            busy.rateLimitNext("/manifests/", "3600");

            assertThatThrownBy(() -> reader.manifest("team/app", "v1"))
                    .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.status()).isEqualTo(429))
                    .hasMessageContaining("rate-limited").hasMessageContaining("3600 s").hasMessageContaining("pull rate limit exceeded");
        }
    }

    private String host() {
        return registry.address().replaceAll("[^A-Za-z0-9]", "_");
    }

    private static String host(RateLimitingProxy proxy) {
        return (proxy.url().getHost() + ":" + proxy.url().getPort()).replaceAll("[^A-Za-z0-9]", "_");
    }

    private Path dockerConfig(String json) throws Exception {
        return Files.writeString(dir.resolve("config-" + System.nanoTime() + ".json"), json);
    }
}
