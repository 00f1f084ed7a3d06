package org.mmemu.cli;

import java.time.Duration;
import org.mmemu.report.RunReport;
import org.mmemu.scenario.run.Exploration;
import org.mmemu.scenario.run.FreeRunner;
import org.mmemu.scenario.run.ScenarioProgram;
import org.mmemu.scenario.EngineSettings;
import org.mmemu.scenario.Scenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mmemu stress [FILE] --protocol P --seconds N}: the free engine on real threads, run after
 * run for N seconds. Real timing may or may not hit a window, so the exit status is 1 only when
 * something was found that the file does not expect, 0 when what it expects was found, and 4
 * (inconclusive) otherwise: absence proves nothing here. The options of the controlled engine's
 * search are refused; {@code --time-limit} bounds each run.
 */
@Command(name = "stress", mixinStandardHelpOptions = true, description = "Run a scenario (default: seed-race) on real threads for N seconds.")
final class StressCommand extends ScenarioCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "a scenario file or shipped name")
    String file = "seed-race";

    @Option(names = "--seconds", paramLabel = "N", description = "how long to run (default 10)")
    int seconds = 10;

    @Override
    public Integer call() {
        if (seconds < 1 || seconds > 86_400) {
            throw new picocli.CommandLine.ParameterException(parent.spec.commandLine().getSubcommands().get("stress"),
                    "--seconds must be between 1 and 86400");
        }
        options.refuse("stress runs the free engine on real threads, with no schedule to choose",
                EngineOptions.SEARCH);
        Scenario s = ctx().scenarios.resolve(file);
        checkOutputs(s);
        ScenarioProgram p = program(s);
        EngineSettings settings = s.engine().overriddenBy(options.settings()).withDefaults();
        Exploration e = explore(FreeRunner.repeatFor(Duration.ofSeconds(seconds)), p, settings);
        RunReport r = ctx().reports.report(p, settings, e);
        ctx().out.print(ctx().reports.text(r, p, e));
        ctx().out.printf("%,d of %,d runs found something%n", e.runsWithFindings(), e.schedules());
        ctx().out.flush();
        writeJson(s, r);
        boolean unexpected = r.findings().stream().anyMatch(f -> !r.expect().contains(f.kind()));
        // Real timing may miss a window: absence of the expected proves nothing, so that is inconclusive.
        return unexpected ? 1 : r.exitStatus() == 0 ? 0 : 4;
    }
}
