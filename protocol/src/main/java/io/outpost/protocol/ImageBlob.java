package io.outpost.protocol;

import io.outpost.content.Names;

/** One blob of an image the outpost lacks; the body is its content, which must hash to {@code digest}. */
public record ImageBlob(String repository, String digest, long size) {
    public ImageBlob {
        Names.requireImageRepository(repository);
        Names.requireDigest(digest);
        if (size < 0) {
            throw new IllegalArgumentException("negative blob size");
        }
    }
}
