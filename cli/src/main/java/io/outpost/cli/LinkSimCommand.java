package io.outpost.cli;

import io.outpost.brokerclient.BrokerAccess;
import io.outpost.brokerclient.BrokerRole;
import io.outpost.data.DataDirectory;
import io.outpost.txrxsim.link.SimulatedLink;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The simulated link alone, between two running sites' brokers. */
@Command(name = "link-sim", mixinStandardHelpOptions = true,
        description = "Move messages between the outpost's and the upstream's brokers with a simulated delay and bandwidth.")
final class LinkSimCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    LinkOptions link;

    /** The outpost at the far end: the upstream keeps what it sends each outpost of its fleet on a queue of its own. */
    @Mixin
    OutpostNameOption outpost;

    @Option(names = "--outpost-broker", defaultValue = "tcp://127.0.0.1:61616", description = "URL of the outpost broker (default: ${DEFAULT-VALUE}).")
    String outpostBroker;

    @Option(names = "--upstream-broker", defaultValue = "tcp://127.0.0.1:61617", description = "URL of the upstream broker (default: ${DEFAULT-VALUE}).")
    String upstreamBroker;

    @Option(names = "--outpost-broker-user", description = "User on the outpost broker (default: 'link'; an external broker's may differ).")
    String outpostUser;

    @Option(names = "--upstream-broker-user", description = "User on the upstream broker (default: 'link').")
    String upstreamUser;

    @Option(names = "--outpost-broker-password", description = "Password of the outpost broker's 'link' user (default: read from DATA/outpost/broker-users/).")
    String outpostPassword;

    @Option(names = "--upstream-broker-password", description = "Password of the upstream broker's 'link' user (default: read from DATA/upstream/broker-users/).")
    String upstreamPassword;

    @Mixin
    MetricsOption http;

    @Override
    public Integer call() throws Exception {
        Path data = common.data.toAbsolutePath().normalize();
        System.out.println("link simulator: " + link.settings().describe() + "; " + outpostBroker + " <-> " + upstreamBroker);
        MetricsEndpoint endpoint = http.start(8083);
        new CamelProcess("link-sim", Map.of("outpost", BrokerAccess.of(outpostBroker, BrokerRole.LINK, outpostPassword, new DataDirectory(data).outpost()).as(outpostUser),
                "upstream", BrokerAccess.of(upstreamBroker, BrokerRole.LINK, upstreamPassword, new DataDirectory(data).upstream()).as(upstreamUser)), null).run(
                camel -> new SimulatedLink(outpost.name, new DataDirectory(data), link.settings(), http.registry, Clock.systemDefaultZone()).install(camel),
                endpoint::close);
        return 0;
    }
}
