package org.mmemu.odds;

import java.time.Duration;
import java.util.List;
import org.mmemu.scenario.Scenario;
import org.mmemu.scenario.run.ScenarioProgram;

/**
 * What an {@link OddsComputation} is asked: a scenario, its program under each protocol to
 * compute (one, or all for a comparison), the timing profile, and the time it may take (null: no
 * limit); a computation cut by the limit answers with a wider interval, marked incomplete.
 */
public record OddsRequest(Scenario scenario, List<ScenarioProgram> programs, TimingProfile profile, Duration timeLimit) {
    public OddsRequest {
        programs = List.copyOf(programs);
    }
}
