package org.mmemu.scenario.run;

import org.mmemu.scenario.EngineSettings;

/**
 * Runs a scenario program under one engine and policy: the seam between the command line and
 * the engines of mm-core ({@link FreeRunner} for the free engine; the controlled engine's
 * explorer behind the same interface).
 */
@FunctionalInterface
public interface EngineRunner {
    /** Runs {@code program} as {@code settings} (defaults filled in) say, reporting to {@code progress}. */
    Exploration explore(ScenarioProgram program, EngineSettings settings, Progress progress);
}
