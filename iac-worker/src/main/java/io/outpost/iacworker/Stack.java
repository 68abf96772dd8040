package io.outpost.iacworker;

import io.outpost.content.Names;

/** A Terraform config the worker keeps applied: its name, and the repo and ref it comes from. */
public record Stack(String name, String repo, String ref) {
    public Stack {
        Names.requireRepo(name);
        Names.requireRepo(repo);
        Names.requireRef(ref);
    }
}
