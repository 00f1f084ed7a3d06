package org.mmemu.cli;

import org.mmemu.scenario.run.Engines;
import org.mmemu.scenario.run.ScenarioProgram;
import org.mmemu.scenario.EngineSettings;
import org.mmemu.scenario.Scenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mmemu run FILE}: one execution. Under the controlled engine (the default) that is the
 * first schedule of the file's settings (policy, delays, bounds), so it says "covered" only when
 * the scenario has a single schedule; {@code --free} runs it once on real threads instead.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run a scenario once and check its expectations.")
final class RunCommand extends ScenarioCommand {
    @Parameters(index = "0", paramLabel = "FILE", description = "a scenario file, or a shipped scenario's name")
    String file;

    @Option(names = "--free", description = "run on the free engine (real threads) instead of the controlled one")
    boolean free;

    /** One execution: its counters are the run's. */
    @Override
    boolean keepsVmstat() {
        return true;
    }

    @Override
    public Integer call() {
        options.refuse("run runs one execution", EngineOptions.NOT_RUN);
        if (free) {
            options.refuse("--free runs real threads, with no schedule to choose", EngineOptions.SEARCH);
        }
        Scenario s = ctx().scenarios.resolve(file);
        checkOutputs(s);
        ScenarioProgram p = program(s);
        EngineSettings settings = settings(s).overriddenBy(new EngineSettings(null, null, null, null, null, 1L, null,
                null));
        return finish(s, p, settings, explore(free ? Engines.free() : Engines.controlled(), p, settings));
    }
}
