package io.outpost.cli;

import io.outpost.content.Tenants;
import io.outpost.data.DataDirectory;
import io.outpost.events.OperatorEvents;
import io.outpost.events.Sizes;
import io.outpost.gateway.outpost.OutpostGateway;
import io.outpost.gateway.outpost.git.GitReaders;
import io.outpost.link.LinkAccounting;
import io.outpost.link.LinkDirection;
import io.outpost.link.network.LinkConnection;
import io.outpost.link.network.LinkGovernor;
import io.outpost.link.network.LinkWindow;
import io.outpost.link.network.NetworkLink;
import io.outpost.link.network.UpstreamTrust;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The outpost gateway alone, hosting the outpost site's broker. */
@Command(name = "outpost-gateway", mixinStandardHelpOptions = true,
        description = {"Run the outpost gateway and the outpost site's broker.",
                "The broker is embedded and listens on 127.0.0.1:--broker-port; workers and the link connect to it."})
final class OutpostGatewayCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    OutpostNameOption outpost;

    @Mixin
    RequestTtlOption ttl;

    @Option(names = "--broker-port", defaultValue = "61616", description = "TCP port of the outpost broker (default: ${DEFAULT-VALUE}).")
    int brokerPort;

    @Option(names = "--resend-after", defaultValue = "5m", converter = Converters.DurationConverter.class,
            description = "An unanswered request may be sent again after this long; until then identical ones coalesce (default: ${DEFAULT-VALUE}).")
    Duration resendAfter;

    @Option(names = "--tenants", split = ",", description = {"Teams sharing this outpost, each a namespace of its own: a broker user 'worker-TENANT'",
            "(password in DATA/outpost/broker-users/), request queue and ready topic, local remotes under DATA/outpost/tenants/TENANT/",
            "and registry repositories under TENANT/ (default: none, the outpost's own namespace only)."})
    List<String> tenants = new ArrayList<>();

    @Option(names = "--provider-mirror-port", defaultValue = "5758",
            description = "Port on 127.0.0.1 of the HTTPS provider mirror terraform installs from; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int providerMirrorPort;

    @Option(names = "--git-listen", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:5760", converter = Converters.ListenConverter.class,
            description = {"Where the git server serves the local remotes to git clients (HTTPS, read-only); 0.0.0.0 for every interface,",
                    "port 0 for a free one (default: ${DEFAULT-VALUE})."})
    InetSocketAddress gitListen;

    @Option(names = "--registry-front", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:5761", converter = Converters.ListenConverter.class,
            description = {"Where the registry front serves the local registry to runtimes and clients (HTTPS, read-only: indexes held for some",
                    "platforms, the referrers API); 0.0.0.0 for every interface, port 0 for a free one (default: ${DEFAULT-VALUE})."})
    InetSocketAddress registryFront;

    @Option(names = "--subscribe", split = ",", description = "A repo whose updates upstream pushes unasked (push mode), as REPO, or TENANT/REPO in a tenant's namespace; repeat for more. Without it, workers' runs ask.")
    List<String> subscriptions = new ArrayList<>();

    @Mixin
    ExpectedLinkOption link;

    @Mixin
    DatagramLinkOption datagram;

    @Option(names = "--upstream", paramLabel = "HOST:PORT", description = {"The upstream broker to dial over a real network: the outpost gateway",
            "then carries the link itself, over TLS, as the 'link' user (default: the address 'outpost keys join' kept; without one,",
            "a link runs beside the gateway, such as link-sim)."})
    String upstream;

    @Option(names = "--rate-to-outpost", defaultValue = "unlimited", converter = Converters.BandwidthConverter.class, description = {"A cap on",
            "what the real link carries toward the outpost, on average, e.g. 1Mbit (default: ${DEFAULT-VALUE})."})
    long rateToOutpost;

    @Option(names = "--rate-to-upstream", defaultValue = "unlimited", converter = Converters.BandwidthConverter.class,
            description = "A cap on what the real link carries toward the upstream, on average (default: ${DEFAULT-VALUE}).")
    long rateToUpstream;

    @Mixin
    WindowsOption windows;

    @Option(names = "--daily-budget", defaultValue = "0", converter = Converters.SizeConverter.class, description = {"Bytes the real link may",
            "carry both ways per UTC day, e.g. 500MB; once spent, images wait for the next day while config and control still move",
            "(default: 0, no budget)."})
    long dailyBudget;

    @Mixin
    MetricsOption http;

    @Mixin
    LocalRegistryOption registry;

    @Mixin
    ImagePolicyOption imagePolicy;

    @Mixin
    SiteBrokerOption siteBroker;

    /** The caps and send windows the operator set for the real link. */
    private LinkGovernor governor(DataDirectory layout) {
        Map<LinkDirection, Long> caps = new EnumMap<>(LinkDirection.class);
        if (rateToOutpost > 0) {
            caps.put(LinkDirection.TO_OUTPOST, rateToOutpost);
        }
        if (rateToUpstream > 0) {
            caps.put(LinkDirection.TO_UPSTREAM, rateToUpstream);
        }
        return LinkGovernor.of(caps, windows.schedule(), dailyBudget, layout.linkBudgetSpent());
    }

    @Override
    public Integer call() throws Exception {
        Path data = common.data.toAbsolutePath().normalize();
        DataDirectory layout = new DataDirectory(data);
        Clock clock = Clock.systemDefaultZone();
        tenants.forEach(Tenants::requireTenant);
        SiteBrokerOption.Opened broker = siteBroker.open("outpost", data, brokerPort, tenants, http.registry);
        System.out.println("outpost gateway '" + outpost.name + "': " + broker.describe() + ", data in " + layout.outpost()
                + (tenants.isEmpty() ? "" : ", tenants " + String.join(", ", tenants))
                + (imagePolicy.entries.isEmpty() ? "" : ", signatures required for " + imagePolicy.policy().describe()));
        MetricsEndpoint endpoint = http.start(8080);
        new Dashboard(data, http.registry, Optional::empty).serveOn(endpoint);
        System.out.println("  dashboard: " + endpoint.base());
        new CamelProcess("outpost-gateway", Map.of("outpost", broker.access()), null).run(
                camel -> {
                    OutpostGateway.Installed gateway = OutpostGateway.builder(outpost.name, layout.outpost())
                            .localRegistry(registry.endpoint()).signatures(imagePolicy.policy()).timing(link.timing()).coding(link.coding()).resendAfter(resendAfter).requestTtl(ttl.requestTtl)
                            .providerMirrorPort(providerMirrorPort).gitListen(gitListen).registryFront(registryFront).subscriptions(subscriptions).tenants(tenants)
                            .events(OperatorEvents.printingTo(System.out, clock)).meters(http.registry).clock(clock).build().install(camel);
                    System.out.println("provider mirror: " + gateway.providerMirror() + " (trust " + gateway.caCertificate() + ")");
                    if (gateway.registryFront() != null) {
                        System.out.println("registry: " + gateway.registryFront() + " (the registry front: HTTPS, read-only; trust " + gateway.caCertificate() + ")");
                    }
                    System.out.println("git server: " + gateway.gitServer() + "REPO.git (read-only; user git, password in "
                            + layout.outpost().gitPassword(GitReaders.userOf(Tenants.OUTPOST)) + "; trust " + gateway.caCertificate() + ")");
                    UpstreamTrust trust = new UpstreamTrust(layout.outpost().upstreamLink());
                    Optional<String> dial = Optional.ofNullable(upstream).or(trust::address);
                    if (!datagram.installIfAsked(camel, "outpost", outpost.name, link, http.registry, layout.linkStats(), clock) && dial.isPresent()) {
                        LinkWindow window = new LinkWindow(link.roundTrip, link.bandwidth);
                        LinkGovernor governor = governor(layout);
                        new NetworkLink(outpost.name, trust.access(dial.get(), window), new LinkAccounting(http.registry, layout.linkStats()), governor,
                                new LinkConnection(dial.get(), http.registry, layout.linkConnection(), governor, clock), clock).install(camel);
                        System.out.println("link: dialing the upstream at " + dial.get() + " (TLS; " + (window.consumerWindowBytes() < 0 ? "no limit"
                                : "up to " + Sizes.bytes(window.consumerWindowBytes())) + " in flight toward the outpost)");
                    }
                },
                () -> {
                    endpoint.close();
                    broker.close();
                });
        return 0;
    }
}
