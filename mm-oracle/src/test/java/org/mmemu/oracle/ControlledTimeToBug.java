package org.mmemu.oracle;

import java.time.Duration;
import org.mmemu.engine.DelayModel;
import org.mmemu.engine.ExploreOptions;
import org.mmemu.engine.ExploreResult;
import org.mmemu.engine.control.Explorer;
import org.mmemu.engine.search.Policies;
import org.mmemu.engine.Program;
import org.mmemu.scenario.run.Scenarios;

/**
 * The controlled engine's side of the benchmark in docs/BENCHMARKS.md ("Fray oracle"): executions
 * and wall time to the first finding on one pair under {@code --delays anywhere}, per policy of
 * mm-core's registry and per seed, on the same interrupt-free program Fray runs, one explorer
 * thread, samplers cut at 20,000 executions. Runs on the plain JDK (mm-oracle/bench.sh): {@code SCENARIO PROTOCOL SEEDS REPEATS}.
 */
public final class ControlledTimeToBug {
    private ControlledTimeToBug() {
    }

    public static void main(String[] args) {
        OraclePair pair = new OraclePair(args[0], args[1]);
        String[] seeds = args[2].split("-");
        int repeats = Integer.parseInt(args[3]);
        Program program = pair.program(Scenarios.standard());
        for (String policy : Policies.names()) {
            if (policy.equals("replay")) {
                continue;
            }
            boolean seeded = !policy.equals("exhaustive") && !policy.equals("dpor");
            long last = seeded ? Long.parseLong(seeds[seeds.length - 1]) : Long.parseLong(seeds[0]);
            for (long seed = Long.parseLong(seeds[0]); seed <= last; seed++) {
                for (int i = 0; i < (seeded ? 1 : repeats); i++) {
                    ExploreOptions o = ExploreOptions.defaults().withPolicy(policy).withSeed(seed)
                            .withDelays(DelayModel.ANYWHERE).withPreemptionBound(-1).withPctDepth(3)
                            .withMaxSchedules(20_000).withTimeLimit(Duration.ofSeconds(60)).withThreads(1)
                            .withStopAtFirst(true).withShrink(false);
                    ExploreResult r = Explorer.explore(program, o);
                    if (r.kinds().isEmpty()) {
                        System.out.printf("mmemu %s seed %d %s: nothing in %d executions, %d ms%n", policy, seed, pair,
                                r.schedules(), r.elapsedMillis());
                    } else {
                        System.out.printf("mmemu %s seed %d %s: %s after %d executions, %d ms%n", policy, seed, pair,
                                r.kinds(), r.firstFindingSchedules(), r.firstFindingMillis());
                    }
                }
            }
        }
    }
}
