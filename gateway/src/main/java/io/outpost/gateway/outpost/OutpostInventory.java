package io.outpost.gateway.outpost;

import io.outpost.content.Tenants;
import io.outpost.data.NamespaceData;
import io.outpost.data.SiteData;
import io.outpost.gateway.media.Inventory;
import io.outpost.gateway.outpost.git.LocalRemotes;
import io.outpost.gateway.outpost.image.BlobInventory;
import io.outpost.gateway.outpost.module.ModuleMirror;
import io.outpost.gateway.outpost.provider.ProviderMirror;
import io.outpost.gateway.outpost.push.OutpostSubscriptions;
import java.time.Clock;
import java.util.List;
import java.util.TreeSet;

/**
 * Takes the inventory of an outpost from its data directory, read-only, so it can be taken while the
 * gateway runs: the repos of its local remote and its subscriptions with their tips, the blobs its
 * registry holds, the packages of its provider mirror.
 *
 * @param data the outpost site's data
 */
public record OutpostInventory(String outpost, SiteData data, Clock clock) {
    /**
     * @param tenant whose namespace ({@link Tenants#OUTPOST} for the outpost's own)
     * @param wanted repos to include besides those held and subscribed to (the first archive of a new repo)
     */
    public Inventory take(String tenant, List<String> wanted, List<String> refs) {
        NamespaceData own = data.namespace(tenant);
        LocalRemotes remotes = new LocalRemotes(own.git(), clock);
        TreeSet<String> repos = new TreeSet<>(remotes.repos());
        repos.addAll(OutpostSubscriptions.read(own.subscriptions()).keySet());
        repos.addAll(wanted);
        return new Inventory(Inventory.FORMAT, outpost, tenant, clock.instant(),
                repos.stream().map(repo -> new Inventory.Repo(repo, refs, remotes.haves(repo, refs))).toList(),
                BlobInventory.of(own).digests(), new ProviderMirror(data.providers()).held(), new ModuleMirror(data, clock).held());
    }

}
