package io.outpost.cli;

import io.outpost.content.Names;
import io.outpost.content.RefPatterns;
import io.outpost.content.Tenants;
import io.outpost.events.Sizes;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** At the outpost: asks upstream for a repo now, as a worker's run would, and waits for what arrives. */
@Command(name = "sync", mixinStandardHelpOptions = true,
        description = {"Sync a repo now: the running outpost gateway asks upstream over the link for what it lacks (with what the new commits",
                "need), and this command waits for the answer and prints the refs that arrived. Exits 1 when the sync failed or timed out."})
final class SyncCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "REPO", description = "The repo, as the upstream names it.")
    String repo;

    @Option(names = "--ref", defaultValue = RefPatterns.DEFAULT_BRANCH, description = {"A branch or tag, or a glob (refs/tags/v*)",
            "(default: HEAD, the origin's default branch)."})
    String ref;

    @Option(names = "--tenant", defaultValue = "", description = "Sync in this tenant's namespace (default: the outpost's own).")
    String tenant;

    @Option(names = "--wait", defaultValue = "10m", converter = Converters.DurationConverter.class,
            description = "How long to wait for the answer; a long link may need more (default: ${DEFAULT-VALUE}).")
    Duration wait;

    @Mixin
    OperatorRequestOptions gateway;

    @Override
    public Integer call() throws Exception {
        Names.requireRepo(repo);
        RefPatterns.require(ref);
        Tenants.requireTenantOrOutpost(tenant);
        System.out.println(repo + ": asked upstream over the link; waiting up to " + Sizes.duration(wait) + " for the answer");
        return gateway.ask(tenant, repo, wait, client -> client.sync(repo, ref));
    }
}
