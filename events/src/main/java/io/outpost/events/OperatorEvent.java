package io.outpost.events;


/**
 * Something an operator cares about (a request sent, an answer applied, a run converged), as a typed
 * record that programs and tests read by its fields; {@link #line()} is its rendering for logs and the demo.
 */
public interface OperatorEvent {
    String line();

    /** The event itself, out of any wrapper that says where it happened ({@link InNamespace}). */
    default OperatorEvent unwrapped() {
        return this;
    }
}
