package org.mmemu.cli;

import org.mmemu.scenario.run.Engines;
import org.mmemu.scenario.run.ScenarioProgram;
import org.mmemu.scenario.EngineSettings;
import org.mmemu.scenario.Scenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code mmemu explore FILE}: the controlled engine under the file's or the given policy. */
@Command(name = "explore", mixinStandardHelpOptions = true, description = "Explore a scenario's schedules under a policy and check its expectations.")
final class ExploreCommand extends ScenarioCommand {
    @Parameters(index = "0", paramLabel = "FILE", description = "a scenario file, or a shipped scenario's name")
    String file;

    @picocli.CommandLine.Mixin
    HtmlOption html;

    @Override
    public Integer call() {
        Scenario s = ctx().scenarios.resolve(file);
        ScenarioProgram p = program(s);
        EngineSettings settings = settings(s);
        org.mmemu.scenario.run.Exploration e = explore(Engines.controlled(), p, settings);
        int status = finish(s, p, settings, e);
        html.add(p, e);
        html.write(ctx(), "mmemu explore", s.name());
        return status;
    }
}
