package io.outpost.iacworker;

import java.time.Instant;
import java.util.Map;

/**
 * One update run, as kept in the run history.
 *
 * @param commit the config commit the run used (null when it got none)
 * @param plan "+add ~change -remove", null when it did not plan
 * @param outputs terraform outputs after the run
 * @param lagMillis origin commit time to converged, when converged
 */
public record RunRecord(long number, String stack, String trigger, Instant startedAt, Instant finishedAt,
                        RunOutcome outcome, String commit, String plan, boolean applied,
                        Map<String, String> outputs, Long lagMillis, String error) {
}
