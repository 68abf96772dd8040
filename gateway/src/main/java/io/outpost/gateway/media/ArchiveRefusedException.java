package io.outpost.gateway.media;


/** An archive that is damaged, truncated, tampered with, unsigned or made for another outpost: nothing of it is applied. */
public final class ArchiveRefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    public ArchiveRefusedException(String reason) {
        super(reason);
    }
}
