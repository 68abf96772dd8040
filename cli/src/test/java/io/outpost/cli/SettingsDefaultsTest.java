package io.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

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

        assertThat(fromFile.name).isEqualTo("polar-1");
        assertThat(fromFile.providerMirrorPort).isEqualTo(5900);
        assertThat(fromFile.subscriptions).containsExactly("demo-config", "team-config");
        assertThat(fromFile.resendAfter).hasMinutes(10);
        assertThat(fromFile.brokerPort).as("not set anywhere: its default").isEqualTo(61616);
        assertThat(fromEnvironment.providerMirrorPort).isEqualTo(6000);
        assertThat(fromCommandLine.name).isEqualTo("polar-3");
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
    void aConfigFileThatCannotBeReadStopsTheCommandWithItsName() {
        assertThat(OutpostCli.execute(new String[] {"outpost-gateway", "--config", dir.resolve("missing.properties").toString()}, Map.of()))
                .isEqualTo(2);
    }

    private static <T> T parse(Class<T> command, Map<String, String> environment, String... args) {
        CommandLine.ParseResult parsed = OutpostCli.commandLine().setDefaultValueProvider(SettingsDefaults.of(args, environment)).parseArgs(args);
        return command.cast(parsed.subcommand().commandSpec().userObject());
    }
}
