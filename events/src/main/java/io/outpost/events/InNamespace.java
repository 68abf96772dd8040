package io.outpost.events;


/** An event in a tenant's namespace at the outpost: the line says whose. */
public record InNamespace(String tenant, OperatorEvent event) implements OperatorEvent {
    @Override
    public String line() {
        return "[" + tenant + "] " + event.line();
    }

    @Override
    public OperatorEvent unwrapped() {
        return event.unwrapped();
    }
}
