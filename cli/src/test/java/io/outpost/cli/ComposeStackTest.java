package io.outpost.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * No Docker engine runs here, so the compose stack is checked for what would break it: every command a
 * role container runs parses as an Outpost command line, dependencies wait on healthchecks that exist,
 * mounted files exist, the image is the one the build makes, and Prometheus scrapes where the roles listen.
 */
class ComposeStackTest {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z_]+)(?::[-?]([^}]*))?}");

    private final JsonNode services = services();

    @Test
    void everyRoleContainerRunsACommandLineOutpostAccepts() {
        List<String> roles = new ArrayList<>();
        services.properties().forEach(service -> {
            if (service.getValue().path("image").asText().startsWith("outpost:")) {
                List<String> args = new ArrayList<>();
                service.getValue().path("command").forEach(arg -> args.add(substitute(arg.asText())));
                CommandLine.ParseResult parsed = OutpostCli.commandLine().parseArgs(args.toArray(String[]::new));
                assertThat(parsed.hasSubcommand()).as(service.getKey()).isTrue();
                roles.add(service.getKey());
            }
        });
        assertThat(roles).contains("outpost-gateway", "upstream-gateway", "link-sim", "worker", "trust");
    }

    @Test
    void servicesWaitOnHealthchecksThatExistAndMountFilesThatExist() {
        services.properties().forEach(service -> {
            service.getValue().path("depends_on").properties().forEach(dependency -> {
                JsonNode target = services.path(dependency.getKey());
                assertThat(target.isMissingNode()).as(service.getKey() + " depends on " + dependency.getKey()).isFalse();
                String condition = dependency.getValue().path("condition").asText();
                assertThat(condition).as(service.getKey() + " waits on " + dependency.getKey()).isIn("service_healthy", "service_completed_successfully");
                if (condition.equals("service_healthy")) {
                    assertThat(target.path("healthcheck").path("test").isArray()).as(dependency.getKey() + " has a healthcheck").isTrue();
                }
            });
            service.getValue().path("volumes").forEach(volume -> {
                String source = volume.asText().split(":")[0];
                if (source.startsWith(".")) {
                    assertThat(ROOT.resolve("compose").resolve(source).normalize()).as(service.getKey() + " mounts " + source).exists();
                }
            });
        });
    }

    @Test
    void theRolesRunTheImageTheBuildMakesAndPrometheusScrapesWhereTheyListen() throws Exception {
        assertThat(Files.readString(ROOT.resolve("cli/pom.xml"))).contains("<image>" + services.path("outpost-gateway").path("image").asText() + "</image>");
        JsonNode scrape = YAML.readTree(ROOT.resolve("dashboards/prometheus-compose.yml").toFile()).path("scrape_configs");
        for (JsonNode job : scrape) {
            String target = job.path("static_configs").get(0).path("targets").get(0).asText();
            String host = target.substring(0, target.indexOf(':'));
            String port = target.substring(target.indexOf(':') + 1);
            assertThat(services.has(host)).as(target).isTrue();
            JsonNode role = services.path(job.path("job_name").asText());
            assertThat(role.path("command").toString()).as(job.path("job_name").asText() + " listens on " + port).contains("--http-port=" + port);
        }
    }

    private static String substitute(String text) {
        Matcher variable = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (variable.find()) {
            String fallback = variable.group(2) != null && text.startsWith("${" + variable.group(1) + ":-", variable.start()) ? variable.group(2) : "x";
            variable.appendReplacement(out, Matcher.quoteReplacement(fallback));
        }
        return variable.appendTail(out).toString();
    }

    /** The services with anchors, aliases and merge keys ({@code <<: *anchor}) resolved, as compose resolves them. */
    private static JsonNode services() {
        try (java.io.Reader in = Files.newBufferedReader(ROOT.resolve("compose/docker-compose.yml"))) {
            Map<String, Object> compose = new org.yaml.snakeyaml.Yaml().load(in);
            return YAML.valueToTree(compose).path("services");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
