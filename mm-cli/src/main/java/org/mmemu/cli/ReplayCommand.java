package org.mmemu.cli;

import org.mmemu.engine.RunResult;
import org.mmemu.engine.Schedule;
import org.mmemu.scenario.run.Engines;
import org.mmemu.scenario.run.Exploration;
import org.mmemu.scenario.run.ScenarioProgram;
import org.mmemu.scenario.run.ScheduleFit;
import org.mmemu.scenario.run.Traces;
import org.mmemu.scenario.EngineSettings;
import org.mmemu.scenario.Scenario;
import org.mmemu.scenario.yaml.ScenarioException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code mmemu replay FILE --schedule S}: one execution following a recorded schedule, with its
 * full trace whether it finds something or not. The schedule is checked against the scenario
 * first (delay model, CPUs, interrupts) and against the run after (every row it names taken by
 * the CPU it names, every interrupt arrived, the run not over before the schedule): what does
 * not fit is bad input, exit 2, saying where. The verdict judges that one schedule: its space is
 * covered when the run reached its end within the step and time bounds.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, description = "Replay one recorded schedule of a scenario and print its trace.")
final class ReplayCommand extends ScenarioCommand {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "a scenario file, or a shipped scenario's name")
    String file;

    @Option(names = "--schedule", paramLabel = "S", description = "the schedule, as a finding printed it (grammar: docs/SCENARIOS.md)")
    String schedule;

    @Override
    public Integer call() {
        options.refuse("replay follows one schedule; its delay model is the schedule's",
                EngineOptions.NOT_REPLAY);
        Scenario s = ctx().scenarios.resolve(file);
        checkOutputs(s);
        ScenarioProgram p = program(s);
        EngineSettings base = s.engine().overriddenBy(options.settings()).withDefaults();
        boolean fromFile = schedule == null;
        String sched = fromFile ? base.schedule() : schedule;
        if (sched == null || sched.isBlank()) {
            throw new ParameterException(spec.commandLine(), "replay needs --schedule S (or engine: schedule: in the file)");
        }
        Schedule parsed;
        try {
            parsed = ScheduleFit.check(sched, p, base.delays());
        } catch (IllegalArgumentException e) {
            throw misfit(s, fromFile, e);
        }
        EngineSettings settings = base.overriddenBy(new EngineSettings("replay", null, null, null, null, 1L, null, sched));
        RunResult r = Traces.replay(p, sched, Engines.options(settings));
        try {
            ScheduleFit.checkRun(parsed, sched, r);
        } catch (IllegalArgumentException e) {
            throw misfit(s, fromFile, e);
        }
        // A replay's space is the one schedule it was given: covered when the run reached its end.
        String reason = "the " + r.outcome().name().toLowerCase().replace('_', ' ') + " of one execution hit after 1 schedule";
        Exploration e = new Exploration("controlled", 1, !r.incomplete(), r.findings(), r.findings().isEmpty() ? 0 : 1,
                Traces.lines(p, r.trace(), r.findings()), r.elapsedMillis(), reason);
        return finish(s, p, settings, e);
    }

    private RuntimeException misfit(Scenario s, boolean fromFile, IllegalArgumentException e) {
        String m = e.getMessage() == null ? "bad schedule" : e.getMessage();
        return fromFile ? new ScenarioException(s.source(), "engine: " + m)
                : new ParameterException(spec.commandLine(), "--schedule: " + m.replaceAll("\\s*\\R\\s*", " "));
    }
}
