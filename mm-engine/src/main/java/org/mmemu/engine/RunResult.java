package org.mmemu.engine;

import java.util.List;
import org.mmemu.core.Machine;
import org.mmemu.core.emu.Finding;

/**
 * The result of one execution of a program.
 *
 * @param outcome       how it ended
 * @param findings      what the detectors found, in order (each with the schedule under the controlled engine)
 * @param warnings      events that are not findings by themselves (refcount-from-zero)
 * @param steps         the steps taken by all CPUs (under the controlled engine: rows, spins included)
 * @param schedule      the schedule that replays it ("" under the free engine)
 * @param elapsedMillis wall time
 * @param machine       the machine as the run left it, for inspection
 * @param trace         the rows of the run, or null when it was not recorded (free engine, exploration)
 */
public record RunResult(Outcome outcome, List<Finding> findings, List<Finding> warnings, long steps,
                        String schedule, long elapsedMillis, Machine machine, Trace trace) {

    /** How a run ended. */
    public enum Outcome {
        /** Every CPU finished its program. */
        COMPLETED,
        /** A finding stopped the run. */
        STOPPED,
        /** Every CPU waited on a lock. */
        DEADLOCK,
        /** The step bound was reached: nothing can be said of what follows. */
        STEP_LIMIT,
        /** The time limit was reached. */
        TIME_LIMIT,
        /** Abandoned by partial-order reduction: every way on is covered by another execution. */
        PRUNED
    }

    public RunResult {
        findings = List.copyOf(findings);
        warnings = List.copyOf(warnings);
    }

    /** A result without a trace. */
    public RunResult(Outcome outcome, List<Finding> findings, List<Finding> warnings, long steps,
                     String schedule, long elapsedMillis, Machine machine) {
        this(outcome, findings, warnings, steps, schedule, elapsedMillis, machine, null);
    }

    /** Whether the run was cut short by a bound (and so proves nothing). */
    public boolean incomplete() {
        return outcome == Outcome.STEP_LIMIT || outcome == Outcome.TIME_LIMIT;
    }
}
