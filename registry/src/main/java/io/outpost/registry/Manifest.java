package io.outpost.registry;

import io.outpost.content.Digests;

/** A manifest or index exactly as a registry stores it: its bytes are what its digest is of. */
public record Manifest(String mediaType, byte[] bytes) {
    public String digest() {
        return "sha256:" + Digests.sha256(bytes);
    }
}
