package io.outpost.events;

import java.io.PrintStream;
import java.time.Clock;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** Where operator events go: printed one line each, collected by a test, or nowhere. */
@FunctionalInterface
public interface OperatorEvents {
    void emit(OperatorEvent event);

    /** The same events, each marked as in {@code tenant}'s namespace; the outpost's own (the empty name) unmarked. */
    default OperatorEvents inNamespace(String tenant) {
        return tenant.isEmpty() ? this : event -> emit(new InNamespace(tenant, event));
    }

    static OperatorEvents printingTo(PrintStream out, Clock clock) {
        DateTimeFormatter time = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
        return event -> out.println(time.format(clock.instant()) + "  " + event.line());
    }

    static OperatorEvents none() {
        return event -> { };
    }
}
