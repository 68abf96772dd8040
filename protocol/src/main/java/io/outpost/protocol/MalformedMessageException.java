package io.outpost.protocol;


/** A message that cannot be understood: it is dead-lettered with this reason, never half-processed. */
public class MalformedMessageException extends RuntimeException implements DeadLetterKind {
    public MalformedMessageException(String reason) {
        super(reason);
    }

    public MalformedMessageException(String reason, Throwable cause) {
        super(reason, cause);
    }

    @Override
    public String deadLetterKind() {
        return "malformed";
    }
}
