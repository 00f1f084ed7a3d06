package org.mmemu.scenario.run;

import java.time.Duration;
import org.mmemu.engine.DelayModel;
import org.mmemu.engine.ExploreOptions;
import org.mmemu.engine.ExploreResult;
import org.mmemu.engine.control.Explorer;
import org.mmemu.scenario.Scenario;

/** Scenarios of the tests' own, written inline, explored under mm1 by dpor with no bound (every trace). */
final class ScenarioRuns {
    private ScenarioRuns() {
    }

    static Scenario parse(String name, String yaml) {
        return Scenarios.standard().loader().parse(name + ".yaml", yaml);
    }

    static ExploreResult everyTrace(Scenario s) {
        ExploreOptions o = ExploreOptions.defaults().withPolicy("dpor").withDelays(DelayModel.ANYWHERE)
                .withPreemptionBound(-1).withMaxSchedules(100_000).withTimeLimit(Duration.ofSeconds(60))
                .withShrink(false).withStopAtFirst(false);
        return Explorer.explore(new ScenarioProgram(s, "mm1", KernelWiring.standard()), o);
    }
}
