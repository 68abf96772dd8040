package io.outpost.registry;


/** A registry refused or failed a request; the message says which and what it answered. */
public class RegistryException extends RuntimeException {
    private final int status;

    public RegistryException(String message, int status) {
        super(message);
        this.status = status;
    }

    public RegistryException(String message, Throwable cause) {
        super(message, cause);
        this.status = 0;
    }

    /** The HTTP status, 0 when the registry could not be reached. */
    public int status() {
        return status;
    }
}
