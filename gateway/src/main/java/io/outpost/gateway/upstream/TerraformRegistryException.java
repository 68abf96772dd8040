package io.outpost.gateway.upstream;

/** A Terraform registry (providers or modules) answered with an error, or not at all ({@code status} 0). */
public final class TerraformRegistryException extends RuntimeException {
    private final int status;

    public TerraformRegistryException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
