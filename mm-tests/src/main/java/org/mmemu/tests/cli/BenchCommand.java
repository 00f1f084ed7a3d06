package org.mmemu.tests.cli;

import java.time.Duration;
import java.util.List;
import org.mmemu.tests.run.Exploration;
import org.mmemu.tests.run.FreeRunner;
import org.mmemu.tests.run.Protocols;
import org.mmemu.tests.run.ScenarioProgram;
import org.mmemu.tests.scenario.EngineSettings;
import org.mmemu.tests.scenario.Scenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mmemu bench [FILE]}: free-engine throughput of a scenario under each protocol, in runs
 * per second. A quick comparison; the JMH benchmarks are the measurements to quote.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Free-engine runs per second of a scenario under each protocol.")
final class BenchCommand extends ScenarioCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "a scenario file or shipped name")
    String file = "seed-race";

    @Option(names = "--seconds", paramLabel = "N", description = "seconds per protocol (default 2)")
    int seconds = 2;

    @Override
    public Integer call() {
        if (seconds < 1 || seconds > 3600) {
            throw new picocli.CommandLine.ParameterException(parent.spec.commandLine().getSubcommands().get("bench"),
                    "--seconds must be between 1 and 3600");
        }
        Scenario s = ctx().scenarios.resolve(file);
        EngineSettings settings = settings(s);
        List<String> protocols = options.protocol() != null ? List.of(options.protocol()) : Protocols.names();
        ctx().out.printf("%-13s %10s %12s %s%n", "protocol", "runs", "runs/s", "runs with findings");
        for (String protocol : protocols) {
            ScenarioProgram p = program(s, protocol);
            Exploration e = explore(FreeRunner.repeatFor(Duration.ofSeconds(seconds)), p, settings);
            ctx().out.printf("%-13s %,10d %,12.0f %,d%n", protocol, e.schedules(),
                    e.schedules() * 1000.0 / Math.max(1, e.elapsedMillis()), e.runsWithFindings());
            ctx().out.flush();
        }
        return 0;
    }
}
