package org.mmemu.scenario.run;

import java.util.List;
import org.mmemu.core.emu.Finding;
import org.mmemu.engine.ExploreResult;
import org.mmemu.scenario.run.TraceLine;

/**
 * What running a scenario found, whatever the engine: how many schedules (or free runs) ran,
 * whether they covered the bounded space (and if not, which bound stopped them), the findings
 * (the first of each kind, with the schedule that produced it where the engine has one), and the
 * trace of the first finding's schedule.
 *
 * @param engine           free | controlled | timed
 * @param schedules        executions run
 * @param complete         whether the bounded space was covered (never for the free engine)
 * @param findings         the first finding of each kind, in the order found
 * @param runsWithFindings how many executions found something
 * @param trace            the steps of the first finding's execution, empty when not recorded
 * @param elapsedMillis    wall time
 * @param incompleteReason which bound stopped it short of covering the space, as
 *                         {@code <bound> hit after N schedules}; "" when complete
 * @param explored         the controlled engine's whole result (coverage, counts, search keys); null
 *                         under the free engine and for a single replay
 */
public record Exploration(String engine, long schedules, boolean complete, List<Finding> findings,
                          long runsWithFindings, List<TraceLine> trace, long elapsedMillis, String incompleteReason,
                          ExploreResult explored) {
    public Exploration {
        findings = List.copyOf(findings);
        trace = List.copyOf(trace);
        incompleteReason = complete || incompleteReason == null ? "" : incompleteReason;
    }

    /** An exploration without a controlled engine's search result (the free engine, one replay). */
    public Exploration(String engine, long schedules, boolean complete, List<Finding> findings,
                       long runsWithFindings, List<TraceLine> trace, long elapsedMillis, String incompleteReason) {
        this(engine, schedules, complete, findings, runsWithFindings, trace, elapsedMillis, incompleteReason, null);
    }

    /** The same exploration showing {@code rows} as its trace. */
    public Exploration withTrace(List<TraceLine> rows) {
        return new Exploration(engine, schedules, complete, findings, runsWithFindings, rows, elapsedMillis,
                incompleteReason, explored);
    }
}
