package io.outpost.site;

import java.io.PrintStream;
import java.time.Clock;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** One line per event an operator cares about: a request sent, an answer received, a run converged. */
@FunctionalInterface
public interface OperatorEvents {
    void emit(String line);

    static OperatorEvents printingTo(PrintStream out, Clock clock) {
        DateTimeFormatter time = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
        return line -> out.println(time.format(clock.instant()) + "  " + line);
    }

    static OperatorEvents none() {
        return line -> { };
    }
}
