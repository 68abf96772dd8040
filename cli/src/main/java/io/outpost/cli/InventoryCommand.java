package io.outpost.cli;

import io.outpost.content.Tenants;
import io.outpost.data.DataDirectory;
import io.outpost.gateway.media.Inventory;
import io.outpost.gateway.outpost.OutpostInventory;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** At the outpost: what it holds, for the upstream to export exactly what it lacks. */
@Command(name = "inventory", mixinStandardHelpOptions = true,
        description = {"Write what this outpost holds (repo tips, registry blobs, provider packages) to a file,",
                "for 'outpost export --for FILE' at the upstream. Reads the data directory only; the gateway may run."})
final class InventoryCommand implements Callable<Integer> {
    @Mixin
    CommonOptions common;

    @Mixin
    OutpostNameOption outpost;

    @Option(names = "--tenant", defaultValue = "", description = "The tenant whose namespace to describe; its archive fills that namespace (default: the outpost's own).")
    String tenant;

    @Option(names = "--out", required = true, description = "The inventory file to write.")
    Path out;

    @Option(names = "--repo", split = ",", description = "A repo to include besides those held and subscribed to (one the outpost has never had); repeat for more.")
    List<String> repos = new ArrayList<>();

    @Option(names = "--ref", split = ",", defaultValue = "refs/heads/main", description = "The ref followed in each repo (default: ${DEFAULT-VALUE}); repeat for more.")
    List<String> refs;

    @Override
    public Integer call() {
        Inventory inventory = new OutpostInventory(outpost.name, new DataDirectory(common.data).outpost(), Clock.systemDefaultZone())
                .take(Tenants.requireTenantOrOutpost(tenant), repos, refs);
        if (inventory.repos().isEmpty()) {
            throw new IllegalArgumentException("this outpost holds no repo and subscribes to none: name the ones it needs with --repo");
        }
        inventory.write(out);
        System.out.println("inventory of outpost '" + outpost.name + "' (" + Tenants.describe(tenant) + ") in " + out + ": " + inventory.repos().size() + " repos ("
                + String.join(", ", inventory.repos().stream().map(repo -> repo.repo() + (repo.tips().isEmpty() ? " (none yet)" : "")).toList())
                + "), " + inventory.blobs().size() + " blobs, " + inventory.providers().size() + " provider packages");
        return 0;
    }
}
