package org.mmemu.cli;

import org.mmemu.scenario.run.Engines;
import org.mmemu.scenario.run.ScenarioProgram;
import org.mmemu.scenario.EngineSettings;
import org.mmemu.scenario.Scenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code mmemu run FILE}: one execution. Until the controlled engine is wired in, that is one run
 * of the free engine (real threads); afterwards, the first schedule of the file's policy.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run a scenario once and check its expectations.")
final class RunCommand extends ScenarioCommand {
    @Parameters(index = "0", paramLabel = "FILE", description = "a scenario file, or a shipped scenario's name")
    String file;

    @Override
    public Integer call() {
        Scenario s = ctx().scenarios.resolve(file);
        ScenarioProgram p = program(s);
        EngineSettings settings = settings(s);
        return finish(s, p, settings, explore(Engines.free(), p, settings));
    }
}
