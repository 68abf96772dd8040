package io.outpost.iacworker;

import io.outpost.events.OperatorEvent;
import io.outpost.events.Sizes;
import java.time.Duration;

/** A run of a stack ended: converged, pending or failed, as its record says. */
public record RunFinished(RunRecord run) implements OperatorEvent {
    @Override
    public String line() {
        String head = "run " + run.number() + " of " + run.stack();
        return switch (run.outcome()) {
            case CONVERGED -> head + " converged" + (run.outputs().containsKey("release") ? " to release " + run.outputs().get("release") : "")
                    + " (commit " + run.commit().substring(0, 7) + ", plan " + run.plan() + (run.applied() ? ", applied" : ", nothing to change")
                    + (run.applied() ? ", " + Sizes.duration(Duration.ofMillis(run.lagMillis())) + " after the origin commit" : "") + ")";
            case PENDING -> head + " pending: " + run.error();
            case FAILED -> head + " FAILED: " + run.error();
        };
    }
}
