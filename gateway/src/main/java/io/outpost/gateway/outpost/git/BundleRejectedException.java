package io.outpost.gateway.outpost.git;


/** A bundle that failed verification; nothing of it reached a branch or tag. */
public class BundleRejectedException extends RuntimeException {
    public BundleRejectedException(String message) {
        super(message);
    }

    public BundleRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
