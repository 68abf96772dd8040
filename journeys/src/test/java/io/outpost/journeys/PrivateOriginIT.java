package io.outpost.journeys;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.broker.TwoSites;
import io.outpost.cli.OneMachine;
import io.outpost.iacworker.RunOutcome;
import io.outpost.iacworker.RunRecord;
import io.outpost.iacworker.StackRunner;
import io.outpost.protocol.ErrorCode;
import io.outpost.protocol.MessageTypes;
import io.outpost.registry.DockerConfigCredentials;
import io.outpost.registry.LocalRegistry;
import io.outpost.registry.RegistryClient;
import io.outpost.registry.RegistryEndpoint;
import io.outpost.registry.RegistryProcess;
import io.outpost.registry.TestCertificate;
import io.outpost.registry.TokenServer;
import io.outpost.txrxsim.origin.DemoImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The origin registry is private, as a company's is: HTTPS with a certificate from its own CA, token auth (a real Distribution
 * with {@code auth: token} and a token server issuing JWTs, on HTTPS from the same CA), and the upstream's login in a Docker
 * config.json. Releases converge with their images; a login the origin stops accepting fails the run and says why.
 */
class PrivateOriginIT {
    private static final String USER = "upstream";
    private static final String PASSWORD = "s3cr:et@x";

    @RegisterExtension
    final TwoSites sites = new TwoSites();
    @RegisterExtension
    final LocalRegistry outpost = new LocalRegistry();

    @TempDir
    Path dir;
    private TokenServer tokens;
    private RegistryProcess origin;
    private RegistryEndpoint originEndpoint;
    private Path dockerConfig;
    private OneMachine.Running running;

    @BeforeEach
    void privateOrigin() throws Exception {
        TestCertificate tls = TestCertificate.create(dir.resolve("ca"), "origin", "127.0.0.1");
        tokens = TokenServer.start(dir.resolve("tokens"), Set.of(), tls).user(USER, PASSWORD, Set.of("pull", "push"));
        origin = RegistryProcess.start(RegistryProcess.DEFAULT_BINARY, dir.resolve("origin"), 0,
                new RegistryProcess.Options(tokens.registryAuth(), tls.certificateFile(), tls.keyFile()));
        originEndpoint = RegistryEndpoint.of(origin.url().toString()).trusting(tls.certificateFile());
        dockerConfig = dir.resolve("docker/config.json");
        login(PASSWORD);
        running = Journeys.start(sites, sites.camel(), new OneMachine.Registries(outpost.client().endpoint(), originEndpoint,
                new DockerConfigCredentials(dockerConfig, List.of())));
    }

    @AfterEach
    void stopOrigin() {
        origin.close();
        tokens.close();
    }

    @Test
    void aReleaseConvergesWithItsImageFromThePrivateOriginDigestsUnchanged() {
        RunRecord run = running.runner().run(StackRunner.SCHEDULED);

        assertThat(run.outcome()).as(String.valueOf(run.error())).isEqualTo(RunOutcome.CONVERGED);
        String image = run.outputs().get("image");
        String digest = image.substring(image.indexOf('@') + 1);
        RegistryClient originAsUpstream = new RegistryClient(originEndpoint, new DockerConfigCredentials(dockerConfig, List.of()));
        assertThat(outpost.client().manifest(DemoImages.REPOSITORY, digest).bytes())
                .isEqualTo(originAsUpstream.manifest(DemoImages.REPOSITORY, digest).bytes());
        assertThat(tokens.issued()).as("tokens the demo origin's pushes and the upstream's pulls asked for").isPositive();
    }

    @Test
    void aLoginTheOriginNoLongerAcceptsFailsTheRunAsUnauthorizedWithTheOriginsWordsAndIsNotAskedEveryRun() throws Exception {
        login("rotated-away");

        RunRecord first = running.runner().run(StackRunner.SCHEDULED);
        RunRecord second = running.runner().run(StackRunner.SCHEDULED);

        assertThat(first.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(first.error()).contains(ErrorCode.UNAUTHORIZED.code()).contains("invalid username or password")
                .contains(dockerConfig.toString()).doesNotContain("rotated-away");
        assertThat(second.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(second.error()).contains(ErrorCode.UNAUTHORIZED.code());
        assertThat(running.link().totals().get("to-upstream").get(MessageTypes.IMAGE_PULL)).as("the image is asked for once, not every run")
                .satisfiesAnyOf(total -> assertThat(total).isNull(), total -> assertThat(total.messages()).isLessThanOrEqualTo(1));
    }

    /** What {@code docker login} would write. */
    private void login(String password) throws Exception {
        Files.createDirectories(dockerConfig.getParent());
        Files.writeString(dockerConfig, "{\"auths\":{\"" + origin.address() + "\":{\"auth\":\""
                + Base64.getEncoder().encodeToString((USER + ":" + password).getBytes(StandardCharsets.UTF_8)) + "\"}}}");
    }
}
