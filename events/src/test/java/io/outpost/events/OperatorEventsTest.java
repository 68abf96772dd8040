package io.outpost.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OperatorEventsTest {
    private record Converged(int run) implements OperatorEvent {
        @Override
        public String line() {
            return "run " + run + " converged";
        }
    }

    @Test
    void anEventInATenantsNamespaceSaysWhoseAndKeepsItsType() {
        List<OperatorEvent> seen = new ArrayList<>();
        OperatorEvents events = seen::add;

        events.inNamespace("blue").emit(new Converged(3));
        events.inNamespace("").emit(new Converged(4));

        assertThat(seen).extracting(OperatorEvent::line).containsExactly("[blue] run 3 converged", "run 4 converged");
        assertThat(seen).extracting(OperatorEvent::unwrapped).containsExactly(new Converged(3), new Converged(4));
    }
}
