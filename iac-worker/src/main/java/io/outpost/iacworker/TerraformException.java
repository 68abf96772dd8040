package io.outpost.iacworker;


/** A terraform command failed; the message carries its exit code and what it said on stderr. */
public class TerraformException extends RuntimeException {
    public TerraformException(String message) {
        super(message);
    }

    public TerraformException(String message, Throwable cause) {
        super(message, cause);
    }
}
