package io.outpost.protocol;

/**
 * A failure that says under which kind its dead letter is counted ({@code outpost_dead_letters{kind}}), so an
 * operator sees at a glance what the dead queue holds: malformed messages, forged frames, and so on.
 */
public interface DeadLetterKind {
    String deadLetterKind();
}
