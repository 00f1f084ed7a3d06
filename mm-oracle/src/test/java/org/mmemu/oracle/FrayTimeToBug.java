package org.mmemu.oracle;

import java.nio.file.Path;
import org.mmemu.scenario.run.Scenarios;

/**
 * Fray's side of the benchmark in docs/BENCHMARKS.md ("Fray oracle"): iterations and wall time
 * to the first finding of one kind on one pair, under Fray's POS or PCT, per seed. Runs in Fray's
 * JVM (mm-oracle/bench.sh starts it there), after one unreported warm-up search (seed 0):
 * {@code SCHEDULER SCENARIO PROTOCOL KIND SEEDS BUDGET}, e.g. {@code pos seed-race mm1 double-free 1-5 1000}.
 */
public final class FrayTimeToBug {
    private FrayTimeToBug() {
    }

    public static void main(String[] args) {
        String scheduler = args[0];
        OraclePair pair = new OraclePair(args[1], args[2]);
        String kind = args[3];
        String[] seeds = args[4].split("-");
        int budget = Integer.parseInt(args[5]);
        Scenarios scenarios = Scenarios.standard();
        // Seed 0 is not reported: it pays for loading and instrumenting the classes, and the JIT.
        FrayOracle.run(pair.program(scenarios), new FrayOracle.Options(scheduler, 0, 1, java.util.Set.of(kind), budget,
                600, FrayAgreementTest.MAX_STEPS, Path.of("target/oracle/bench").resolve(scheduler + "-warm-up")));
        for (long seed = Long.parseLong(seeds[0]); seed <= Long.parseLong(seeds[seeds.length - 1]); seed++) {
            FrayOracle.Options o = new FrayOracle.Options(scheduler, seed, 1, java.util.Set.of(kind), budget, 600,
                    FrayAgreementTest.MAX_STEPS, Path.of("target/oracle/bench").resolve(scheduler + "-" + seed));
            FrayVerdict v = FrayOracle.run(pair.program(scenarios), o);
            Integer at = v.firstIteration().get(kind);
            System.out.printf("fray %s seed %d %s: %s after %d iterations, %d ms (%d cut at the step bound)%n", scheduler,
                    seed, pair, at == null ? "no " + kind : kind, v.iterations(), v.millis(), v.stepBoundRuns());
        }
    }
}
