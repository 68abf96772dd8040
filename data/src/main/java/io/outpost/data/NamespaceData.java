package io.outpost.data;

import java.nio.file.Path;

/**
 * One namespace at the outpost: the outpost's own ({@code DATA/outpost}) or a tenant's
 * ({@code DATA/outpost/tenants/<tenant>}): its local remotes, its record of registry blobs, its parked
 * bundles and kept indexes, and its workers' files.
 */
public record NamespaceData(Path dir) {
    /** The local git remotes, one bare repo per upstream repo. */
    public Path git() {
        return dir.resolve("git");
    }

    public Path localRemote(String repo) {
        return git().resolve(repo + ".git");
    }

    /** The blobs the namespace's registry repositories hold (a registry cannot list them), a change per line. */
    public Path registryInventory() {
        return dir.resolve("registry-blobs.log");
    }

    /** The same record as earlier builds kept it, one JSON file rewritten whole: read once into {@link #registryInventory()}, then removed. */
    public Path registryInventoryJson() {
        return dir.resolve("registry-inventory.json");
    }

    /** The numbered record of what the namespace holds besides git, whose changes requests carry upstream. */
    public Path holdings() {
        return dir.resolve("holdings.log");
    }

    /** How far upstream's ledger has seen {@link #holdings()}. */
    public Path holdingsSeen() {
        return dir.resolve("holdings.seen");
    }

    /** Bundles that overtook what they need, per gateway process. */
    public Path parked(String gateway) {
        return dir.resolve("parked").resolve(gateway);
    }

    /** Multi-arch indexes the registry cannot hold whole. */
    public Path indexes() {
        return dir.resolve("indexes");
    }

    /** The repos this namespace subscribed to at run time (push mode), one per line. */
    public Path subscriptions() {
        return dir.resolve("subscriptions.txt");
    }

    public Path worker() {
        return dir.resolve("worker");
    }

    /** The terraform CLI configuration the workers run with (the provider mirror). */
    public Path terraformCliConfig() {
        return worker().resolve("terraform.rc");
    }

    public Path stack(String stack) {
        return worker().resolve(stack);
    }

    /** The stack's checkout of its config, where terraform runs. */
    public Path checkout(String stack) {
        return stack(stack).resolve("config");
    }

    /** The stack's run history, one JSON line per run. */
    public Path runs(String stack) {
        return stack(stack).resolve("runs.jsonl");
    }

    /** The folder, as operators read it in messages. */
    @Override
    public String toString() {
        return dir.toString();
    }
}
