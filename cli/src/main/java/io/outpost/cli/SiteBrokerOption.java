package io.outpost.cli;

import io.micrometer.core.instrument.MeterRegistry;
import io.outpost.broker.SiteBroker;
import io.outpost.brokerclient.BrokerAccess;
import io.outpost.brokerclient.BrokerRole;
import io.outpost.data.DataDirectory;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/** A gateway's broker: embedded (the default, listening on --broker-port) or an external Artemis broker or HA pair. */
final class SiteBrokerOption {
    @Option(names = "--external-broker", description = {"URL of an external Artemis broker or HA pair for this site, e.g.",
            "'(tcp://a:61616,tcp://b:61616)?ha=true&reconnectAttempts=-1' (with sslEnabled and trustStore parameters for TLS);",
            "the gateway then hosts no broker (default: none, it hosts one)."})
    String external;

    @Option(names = "--external-broker-user", defaultValue = "gateway", description = "User on the external broker (default: ${DEFAULT-VALUE}).")
    String user;

    @Option(names = "--external-broker-password", description = "That user's password.")
    String password;

    @Option(names = "--listen", defaultValue = SiteBroker.LOOPBACK, paramLabel = "ADDRESS", description = {"The address the hosted broker listens on",
            "(TLS, on --broker-port): 127.0.0.1 for this machine's clients; at the upstream, the address outposts dial (or 0.0.0.0)",
            "(default: ${DEFAULT-VALUE})."})
    String listen;

    /** The site's broker as this gateway reaches it, and what to close when it stops. */
    record Opened(BrokerAccess access, String describe, Runnable stopHosted) {
        void close() {
            stopHosted.run();
        }
    }

    /** @param tenants the teams sharing the site, each with its workers' user on a hosted broker (an external broker's are its operator's) */
    Opened open(String site, Path data, int port, List<String> tenants, MeterRegistry meters) {
        if (external != null) {
            if (password == null) {
                throw new IllegalArgumentException("--external-broker needs --external-broker-password (or OUTPOST_EXTERNAL_BROKER_PASSWORD)");
            }
            return new Opened(new BrokerAccess(external, user, password), "external broker " + external + " as " + user, () -> { });
        }
        SiteBroker broker = SiteBroker.start(site, new DataDirectory(data).site(site), listen, port, tenants);
        broker.measureQueues(meters);
        return new Opened(broker.access(BrokerRole.GATEWAY), "broker at " + broker.tcpUrl() + " (TLS)", broker::close);
    }
}
