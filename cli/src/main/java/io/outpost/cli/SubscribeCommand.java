package io.outpost.cli;

import io.outpost.content.Names;
import io.outpost.content.RefPatterns;
import io.outpost.content.Tenants;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

    @Option(names = "--ref", paramLabel = "REF", description = {"A branch or tag to follow, or a glob (refs/tags/v*, as far as the upstream's",
            "allowlist lets it out); repeat for more (default: the origin's default branch)."})
    List<String> refs = new ArrayList<>();

    @Option(names = "--tenant", defaultValue = "", description = "Subscribe in this tenant's namespace (default: the outpost's own).")
    String tenant;

    @Mixin
    OperatorRequestOptions gateway;

    @Override
    public Integer call() throws Exception {
        Names.requireRepo(repo);
        Tenants.requireTenantOrOutpost(tenant);
        refs.forEach(RefPatterns::require);
        return gateway.ask(tenant, repo, Duration.ofSeconds(30), client -> client.subscribe(repo, refs));
    }
}
