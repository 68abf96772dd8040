package io.outpost.cli;

import io.outpost.protocol.Names;
import io.outpost.protocol.Ready;
import io.outpost.site.BrokerRole;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** At the outpost: subscribes the running outpost gateway to a repo, so upstream pushes its updates. */
@Command(name = "subscribe", mixinStandardHelpOptions = true,
        description = {"Subscribe this outpost to a repo (push mode): upstream sends each update of it unasked.",
                "The running outpost gateway keeps the subscription across restarts (DATA/outpost/subscriptions.txt)."})
final class SubscribeCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "REPO", description = "The repo, as the upstream names it.")
    String repo;

    @Mixin
    CommonOptions common;

    @Mixin
    OutpostBrokerOption broker;

    @Option(names = "--name", defaultValue = "${OUTPOST_NAME:-outpost}", description = "This outpost's name (default: ${DEFAULT-VALUE}).")
    String name;

    @Override
    public Integer call() throws Exception {
        Names.requireRepo(repo);
        Ready answer = GatewayRequest.send(broker.access(BrokerRole.OPERATOR, common.data), name, Duration.ofSeconds(30), gateway -> gateway.subscribe(repo, "refs/heads/main"));
        System.out.println(repo + ": " + answer.message());
        return answer.status() == Ready.Status.FAILED ? 1 : 0;
    }
}
