package org.mmemu.cli;

import org.mmemu.scenario.run.Engines;
import org.mmemu.scenario.run.ScenarioProgram;
import org.mmemu.scenario.EngineSettings;
import org.mmemu.scenario.Scenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mmemu replay FILE --schedule S}: one execution following a recorded schedule, with its trace. */
@Command(name = "replay", mixinStandardHelpOptions = true, description = "Replay one recorded schedule of a scenario and print its trace.")
final class ReplayCommand extends ScenarioCommand {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "a scenario file, or a shipped scenario's name")
    String file;

    @Option(names = "--schedule", paramLabel = "S", description = "the schedule, as a finding printed it")
    String schedule;

    @Override
    public Integer call() {
        Scenario s = ctx().scenarios.resolve(file);
        ScenarioProgram p = program(s);
        EngineSettings base = settings(s);
        String sched = schedule != null ? schedule : base.schedule();
        if (sched == null || sched.isBlank()) {
            throw new ParameterException(spec.commandLine(), "replay needs --schedule S (or engine: schedule: in the file)");
        }
        EngineSettings settings = base.overriddenBy(
                new EngineSettings("replay", null, null, null, null, 1L, null, sched));
        return finish(s, p, settings, explore(Engines.controlled(), p, settings));
    }
}
