package io.outpost.cli;

import io.outpost.data.DataDirectory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
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

    @Mixin
    UpstreamOptions upstream;

    @Mixin
    ExpectedLinkOption link;

    @Mixin
    DatagramLinkOption datagram;

    @Mixin
    MetricsOption http;

    @Mixin
    SiteBrokerOption siteBroker;

    @Option(names = "--poll-every", defaultValue = "30s", converter = Converters.DurationConverter.class,
            description = "How often subscribed origins are looked at, to push what moved (default: ${DEFAULT-VALUE}).")
    Duration pollEvery;

    @Override
    public Integer call() throws Exception {
        Path data = common.data.toAbsolutePath().normalize();
        SiteBrokerOption.Opened broker = siteBroker.open("upstream", data, brokerPort, List.of(), http.registry);
        System.out.println("upstream gateway: " + broker.describe() + ", serving " + upstream.describe());
        MetricsEndpoint endpoint = http.start(8081);
        FleetPage.serveOn(endpoint, new DataDirectory(data).upstream(), http.registry);
        System.out.println("fleet: " + endpoint.base() + "fleet ('outpost fleet add' adds an outpost while this runs)");
        new CamelProcess("upstream-gateway", Map.of("upstream", broker.access()), null).run(
                camel -> {
                    upstream.gateway(data, link.timing(), link.coding(), pollEvery, http.registry, Clock.systemDefaultZone()).install(camel);
                    datagram.installIfAsked(camel, "upstream", upstream.outpost.name, link, http.registry, new DataDirectory(data).linkStats(), Clock.systemDefaultZone());
                },
                () -> {
                    endpoint.close();
                    broker.close();
                });
        return 0;
    }
}
