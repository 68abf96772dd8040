package io.outpost.cli;

import io.outpost.brokerclient.BrokerAccess;
import io.outpost.brokerclient.BrokerRole;
import io.outpost.data.DataDirectory;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How a worker or an operator's command reaches the outpost broker. */
final class OutpostBrokerOption {
    @Option(names = "--broker", defaultValue = "tcp://127.0.0.1:61616",
            description = "URL of the outpost broker; TLS trusting DATA/outpost/tls/ca-trust.p12 unless the URL says otherwise (default: ${DEFAULT-VALUE}).")
    String url;

    @Option(names = "--broker-user", description = "User on the broker (default: the role's own, 'worker', 'worker-TENANT' or 'operator'; an external broker's may differ).")
    String user;

    @Option(names = "--broker-password", description = "Password of this role's broker user (default: read from DATA/outpost/broker-users/).")
    String password;

    /**
     * @param defaultUser the user when --broker-user is not given: the role's, or a tenant's workers' ({@link BrokerRole#workerOf})
     * @param data the data directory ({@code --data})
     */
    BrokerAccess access(String defaultUser, Path data) {
        return BrokerAccess.of(url, defaultUser, password, new DataDirectory(data).outpost()).as(user);
    }
}
