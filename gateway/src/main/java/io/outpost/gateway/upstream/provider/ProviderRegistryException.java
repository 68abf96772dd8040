package io.outpost.gateway.upstream.provider;


/** A provider registry answered with an error, or not at all ({@code status} 0). */
public final class ProviderRegistryException extends RuntimeException {
    private final int status;

    public ProviderRegistryException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
