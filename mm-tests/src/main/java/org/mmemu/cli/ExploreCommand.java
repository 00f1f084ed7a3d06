package org.mmemu.cli;

import org.mmemu.scenario.run.Engines;
import org.mmemu.scenario.run.Exploration;
import org.mmemu.scenario.run.ScenarioProgram;
import org.mmemu.scenario.run.Traces;
import org.mmemu.scenario.EngineSettings;
import org.mmemu.scenario.Scenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mmemu explore FILE}: the controlled engine under the file's or the given policy. */
@Command(name = "explore", mixinStandardHelpOptions = true, description = "Explore a scenario's schedules under a policy and check its expectations.")
final class ExploreCommand extends ScenarioCommand {
    @Parameters(index = "0", paramLabel = "FILE", description = "a scenario file, or a shipped scenario's name")
    String file;

    @Option(names = "--trace", description = "print the trace of the first failing execution, or, if none failed, of the first")
    boolean trace;

    @picocli.CommandLine.Mixin
    HtmlOption html;

    @Override
    public Integer call() {
        Scenario s = ctx().scenarios.resolve(file);
        checkOutputs(s);
        html.check(options.spec.commandLine());
        ScenarioProgram p = program(s);
        EngineSettings settings = settings(s);
        Exploration e = explore(Engines.controlled(), p, settings);
        if (trace && e.trace().isEmpty()) {
            // No finding: the first execution, the one the default rule runs from the start.
            String first = settings.policy().equals("replay") ? settings.schedule()
                    : org.mmemu.core.engine.DelayModel.byId(settings.delays()).id() + ":";
            e = e.withTrace(Traces.of(p, null, first));
        }
        int status = finish(s, p, settings, e);
        html.add(p, e);
        html.write(ctx(), "mmemu explore", s.name());
        return status;
    }
}
