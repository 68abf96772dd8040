package io.outpost.gateway.upstream.git;


/** The origin could not be reached or read; the request may succeed later. */
public class OriginUnavailableException extends RuntimeException {
    public OriginUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
