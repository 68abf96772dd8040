package io.outpost.cli;

import io.outpost.gateway.upstream.Allowlist;
import io.outpost.gateway.upstream.ImageOrigins;
import io.outpost.gateway.upstream.ProviderOrigins;
import io.outpost.gateway.upstream.UpstreamGateway;
import io.outpost.registry.RegistryEndpoint;
import io.outpost.site.MetricsEndpoint;
import io.outpost.site.SiteBroker;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.eclipse.jgit.transport.URIish;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The upstream gateway alone, hosting the upstream site's broker. */
@Command(name = "upstream-gateway", mixinStandardHelpOptions = true,
        description = {"Run the upstream gateway and the upstream site's broker.",
                "The broker is embedded and listens on 127.0.0.1:--broker-port; only the repos, images and providers it is given are served."})
final class UpstreamGatewayCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Option(names = "--broker-port", defaultValue = "61617", description = "TCP port of the upstream broker (default: ${DEFAULT-VALUE}).")
    int brokerPort;

    @Option(names = "--repo", required = true, description = "A repo this upstream serves, as NAME=ORIGIN_URL (git URL or path); repeat for more.")
    Map<String, String> repos;

    @Option(names = "--outpost", defaultValue = "${OUTPOST_NAME:-outpost}", description = "The outpost this upstream serves (default: ${DEFAULT-VALUE}).")
    String outpost;


    @Mixin
    RoundTripOption link;

    @Mixin
    MetricsOption http;

    @Option(names = "--images", description = "Registry repositories this upstream serves, as GLOB=REGISTRY_URL (e.g. 'team/**=https://registry.example'); repeat for more.")
    Map<String, String> images = new LinkedHashMap<>();

    @Option(names = "--providers", description = "Terraform providers this upstream serves, as globs over HOSTNAME/NAMESPACE/TYPE "
            + "(e.g. 'registry.terraform.io/hashicorp/*'); repeat for more.")
    List<String> providers = new ArrayList<>();

    @Option(names = "--provider-registry", description = "Where a provider hostname's registry is, as HOSTNAME=URL when not https://HOSTNAME/; repeat for more.")
    Map<String, URI> providerRegistries = new LinkedHashMap<>();

    @Option(names = "--poll-every", defaultValue = "30s", converter = Converters.DurationConverter.class,
            description = "How often subscribed origins are looked at, to push what moved (default: ${DEFAULT-VALUE}).")
    Duration pollEvery;

    @Override
    public Integer call() throws Exception {
        Path data = common.data.toAbsolutePath().normalize();
        Map<String, URIish> origins = new LinkedHashMap<>();
        for (Map.Entry<String, String> repo : repos.entrySet()) {
            try {
                origins.put(repo.getKey(), new URIish(repo.getValue()));
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("--repo " + repo.getKey() + ": '" + repo.getValue() + "' is not a git URL");
            }
        }
        Map<String, RegistryEndpoint> registries = new LinkedHashMap<>();
        images.forEach((glob, url) -> registries.put(glob, RegistryEndpoint.of(url)));
        ImageOrigins imageOrigins = new ImageOrigins(registries);
        SiteBroker broker = SiteBroker.start("upstream", data.resolve("upstream/broker"), brokerPort);
        System.out.println("upstream gateway: broker at " + broker.tcpUrl() + ", serving repos " + origins.keySet() + ", images " + images.keySet()
                + ", providers " + providers);
        broker.measureQueues(http.registry);
        MetricsEndpoint endpoint = http.start(8081);
        new CamelProcess("upstream-gateway", Map.of("upstream", broker.vmUrl()), null).run(
                camel -> new UpstreamGateway(outpost, data.resolve("upstream"), new Allowlist(origins), imageOrigins,
                        new ProviderOrigins(providers, providerRegistries), OneMachine.CHUNK_SIZE,
                        link.timing(), pollEvery, http.registry, Clock.systemDefaultZone()).install(camel),
                () -> {
                    endpoint.close();
                    broker.close();
                });
        return 0;
    }
}
