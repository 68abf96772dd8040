package io.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.outpost.content.Names;
import io.outpost.gateway.outpost.OutpostGateway;
import io.outpost.gateway.upstream.UpstreamGateway;
import io.outpost.iacworker.IacWorker;
import io.outpost.link.TransferTiming;
import io.outpost.protocol.Envelope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Every setting of a role comes from the command line, else the environment, else the --config file, else its default. */
class SettingsDefaultsTest {
    @TempDir
    Path dir;

    @Test
    void theCommandLineBeatsTheEnvironmentWhichBeatsTheConfigFile() throws Exception {
        Path config = Files.writeString(dir.resolve("outpost-gateway.properties"), """
                # the outpost gateway of polar-1
                name = polar-1
                provider-mirror-port = 5900
                subscribe = demo-config,team-config
                resend-after = 10m
                """);

        OutpostGatewayCommand fromFile = parse(OutpostGatewayCommand.class, Map.of(), "outpost-gateway", "--config", config.toString());
        OutpostGatewayCommand fromEnvironment = parse(OutpostGatewayCommand.class, Map.of("OUTPOST_PROVIDER_MIRROR_PORT", "6000"),
                "outpost-gateway", "--config", config.toString());
        OutpostGatewayCommand fromCommandLine = parse(OutpostGatewayCommand.class, Map.of("OUTPOST_NAME", "polar-2"),
                "outpost-gateway", "--config", config.toString(), "--name", "polar-3");

        assertThat(fromFile.outpost.name).isEqualTo("polar-1");
        assertThat(fromFile.providerMirrorPort).isEqualTo(5900);
        assertThat(fromFile.subscriptions).containsExactly("demo-config", "team-config");
        assertThat(fromFile.resendAfter).hasMinutes(10);
        assertThat(fromFile.brokerPort).as("not set anywhere: its default").isEqualTo(61616);
        assertThat(fromEnvironment.providerMirrorPort).isEqualTo(6000);
        assertThat(fromCommandLine.outpost.name).isEqualTo("polar-3");
    }

    @Test
    void anUpstreamTakesItsAllowlistsFromTheEnvironmentCommaSeparated() throws Exception {
        UpstreamGatewayCommand upstream = parse(UpstreamGatewayCommand.class, Map.of(
                        "OUTPOST_REPO", "infra=/srv/git/infra.git,apps=https://git.example/apps.git",
                        "OUTPOST_PROVIDERS", "registry.terraform.io/hashicorp/*,registry.terraform.io/acme/*"),
                "upstream-gateway");

        assertThat(upstream.upstream.repos).containsEntry("infra", "/srv/git/infra.git").containsEntry("apps", "https://git.example/apps.git");
        assertThat(upstream.upstream.providers).containsExactly("registry.terraform.io/hashicorp/*", "registry.terraform.io/acme/*");
    }

    @Test
    void theOutpostsNameIsOneSettingUnderEitherOfItsNames() {
        WorkerCommand worker = parse(WorkerCommand.class, Map.of("OUTPOST_NAME", "polar-2"), "worker");
        UpstreamGatewayCommand upstream = parse(UpstreamGatewayCommand.class, Map.of(), "upstream-gateway", "--outpost", "polar-4");
        OutpostGatewayCommand gateway = parse(OutpostGatewayCommand.class, Map.of(), "outpost-gateway");

        assertThat(worker.outpost.name).isEqualTo("polar-2");
        assertThat(upstream.upstream.outpost.name).isEqualTo("polar-4");
        assertThat(gateway.outpost.name).as("its default").isEqualTo(Names.DEFAULT_OUTPOST);
    }

    @Test
    void theCommandLinesDefaultsAreTheRolesOwn() {
        OutpostGatewayCommand gateway = parse(OutpostGatewayCommand.class, Map.of(), "outpost-gateway");
        UpstreamGatewayCommand upstream = parse(UpstreamGatewayCommand.class, Map.of(), "upstream-gateway");
        WorkerCommand worker = parse(WorkerCommand.class, Map.of(), "worker");

        assertThat(gateway.resendAfter).isEqualTo(OutpostGateway.DEFAULT_RESEND_AFTER);
        assertThat(gateway.ttl.requestTtl).isEqualTo(Envelope.DEFAULT_REQUEST_TTL);
        assertThat(gateway.link.roundTrip).isEqualTo(TransferTiming.DEFAULT_ROUND_TRIP);
        assertThat(upstream.pollEvery).isEqualTo(UpstreamGateway.DEFAULT_POLL_EVERY);
        assertThat(worker.run.runEvery).isEqualTo(IacWorker.DEFAULT_RUN_EVERY);
    }

    @Test
    void aConfigFileThatCannotBeReadStopsTheCommandWithItsName() {
        assertThat(OutpostCli.execute(new String[] {"outpost-gateway", "--config", dir.resolve("missing.properties").toString()}, Map.of()))
                .isEqualTo(2);
    }

    private static <T> T parse(Class<T> command, Map<String, String> environment, String... args) {
        CommandLine.ParseResult parsed = OutpostCli.commandLine().setDefaultValueProvider(SettingsDefaults.of(args, environment)).parseArgs(args);
        return command.cast(parsed.subcommand().commandSpec().userObject());
    }
}
