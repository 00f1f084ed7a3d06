package org.mmemu.cli;

import org.mmemu.engine.StopRule;
import org.mmemu.scenario.run.Engines;
import org.mmemu.scenario.run.Exploration;
import org.mmemu.scenario.run.Shard;
import org.mmemu.scenario.run.ScenarioProgram;
import org.mmemu.scenario.run.Traces;
import org.mmemu.scenario.EngineSettings;
import org.mmemu.scenario.Scenario;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mmemu explore FILE}: the controlled engine under the file's or the given policy. */
@Command(name = "explore", mixinStandardHelpOptions = true, description = "Explore a scenario's schedules under a policy and check its expectations.")
final class ExploreCommand extends ScenarioCommand {
    @Parameters(index = "0", paramLabel = "FILE", description = "a scenario file, or a shipped scenario's name")
    String file;

    @Option(names = "--trace", description = "print the trace of the first failing execution, or, if none failed, of the first")
    boolean trace;

    @picocli.CommandLine.Mixin
    HtmlOption html;

    @picocli.CommandLine.Mixin
    ThreadsOption threads;

    @Spec
    CommandSpec spec;

    @Option(names = "--keep-going", description = "explore on after the verdict on the file's expectation is decided,"
            + " collecting every distinct finding (default: stop as soon as it is decided)")
    boolean keepGoing;

    @Option(names = "--shard", paramLabel = "I/N", description = "run only shard I of N of the search (1 <= I <= N) and"
            + " exit 0 once it ran: 'mmemu merge' of the shards' --json results gives the verdict (docs/DISTRIBUTED.md)")
    String shardSpec;

    private Shard shard = Shard.WHOLE;

    /**
     * On one thread the first execution is the first schedule, so its counters are kept; on
     * several, which execution starts first is the host's choice, and they are left out.
     */
    @Override
    boolean keepsVmstat() {
        return threads.count(spec.commandLine()) == 1;
    }

    @Override
    public Integer call() {
        if (shardSpec != null) {
            try {
                shard = Shard.parse(shardSpec);
            } catch (IllegalArgumentException ex) {
                throw new ParameterException(spec.commandLine(), "--shard: " + ex.getMessage());
            }
        }
        Scenario s = ctx().scenarios.resolve(file);
        checkOutputs(s);
        html.check(options.spec.commandLine());
        threads.count(spec.commandLine());
        ScenarioProgram p = program(s);
        EngineSettings settings = settings(s);
        StopRule stop = keepGoing ? StopRule.cover() : StopRule.expecting(p.expect());
        Exploration e = explore(threads.controlled(spec.commandLine(), stop, shard), p, settings);
        if (trace && e.trace().isEmpty()) {
            // No finding: the first execution, the one the default rule runs from the start.
            String first = settings.policy().equals("replay") ? settings.schedule()
                    : org.mmemu.engine.DelayModel.byId(settings.delays()).id() + ":";
            e = e.withTrace(Traces.of(p, null, first));
        }
        int status = finish(s, p, settings, e);
        html.add(p, e);
        html.write(ctx(), "mmemu explore", s.name());
        if (!shard.whole()) {
            // One shard's part proves nothing of the expectation alone (a shard without the
            // double free is normal); its JSON is written, and the verdict is merge's.
            ctx().out.println("shard " + shard + ": the verdict above is this part's only;"
                    + " 'mmemu merge' of all " + shard.count() + " shards' --json results gives the verdict of the whole search");
            ctx().out.flush();
            return Main.HELD;
        }
        return status;
    }

    @Override
    String shard() {
        return shard.whole() ? null : shard.toString();
    }
}
