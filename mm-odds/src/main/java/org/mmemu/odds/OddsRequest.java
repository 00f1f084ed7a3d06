package org.mmemu.odds;

import java.time.Duration;
import java.util.List;
import org.mmemu.scenario.Scenario;
import org.mmemu.scenario.run.ScenarioProgram;

/**
 * What an {@link OddsComputation} is asked: a scenario, its program under each protocol to
 * compute (one, or all for a comparison), the timing profile, and the time it may take (null: no
 * limit); a computation cut by the limit answers with a wider interval, marked incomplete.
 * {@code estimateRuns} above 0 asks also for an importance-sampled estimate of the whole W
 * ({@link SampledWindow}) from that many runs, drawn from {@code seed}.
 */
public record OddsRequest(Scenario scenario, List<ScenarioProgram> programs, TimingProfile profile, Duration timeLimit,
        long estimateRuns, long seed) {
    public OddsRequest {
        programs = List.copyOf(programs);
        if (estimateRuns < 0) {
            throw new IllegalArgumentException("a number of runs is not negative");
        }
    }

    /** Without a sampled estimate. */
    public OddsRequest(Scenario scenario, List<ScenarioProgram> programs, TimingProfile profile, Duration timeLimit) {
        this(scenario, programs, profile, timeLimit, 0, 0);
    }
}
