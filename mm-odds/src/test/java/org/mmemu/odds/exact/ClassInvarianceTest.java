package org.mmemu.odds.exact;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mmemu.engine.CostTable;
import org.mmemu.scenario.run.ScenarioProgram;

/**
 * What the sweep rests on: a run stands for its whole class. For runs of the seed race at random
 * (t, u) with one interrupt on cpu0 at a random boundary, and without one, runs at random other
 * points of the same {@link Box} take the same steps on each CPU, at the times the first run's
 * {@link Form}s give there, and find the same.
 */
class ClassInvarianceTest {
    private static final CostTable COSTS = OddsFixtures.COSTS.costTable();

    @Test
    void everyPointOfARunsBoxRunsTheSameStepsAtTheFormsTimes() {
        SplittableRandom rng = new SplittableRandom(22);
        int checked = 0;
        for (String protocol : List.of("mm1", "count-one", "no-tests")) {
            ScenarioProgram program = OddsFixtures.program("seed-race", protocol);
            for (int i = 0; i < 12; i++) {
                double t = Math.floor(rng.nextDouble(-2000, 3000)) + 0.5;
                double u = Math.floor(rng.nextDouble(-2000, 150_000)) + 0.25;
                TimedRun.Plan plan = i % 3 == 0 ? TimedRun.Plan.NONE : TimedRun.Plan.deliverAt(0, 1 + rng.nextInt(20));
                TimedRun.Result r = TimedRun.run(program, 2, COSTS, 0, t, u, plan, 100_000);
                Box b = r.box();
                assertThat(b.exact()).isTrue();
                for (int j = 0; j < 5; j++) {
                    double t2 = inside(rng, b.tLo(), b.tHi(), t);
                    double u2 = inside(rng, b.uLo(), b.uHi(), u);
                    if (t2 - u2 < b.vLo() || t2 - u2 >= b.vHi()) {
                        continue;
                    }
                    TimedRun.Result again = TimedRun.run(program, 2, COSTS, 0, t2, u2, plan, 100_000);
                    assertThat(kinds(again)).isEqualTo(kinds(r));
                    for (int c = 0; c < 2; c++) {
                        assertThat(times(again, c, t2, u2, false)).as("cpu%d at (%s, %s), class of (%s, %s) %s", c, t2, u2,
                                t, u, b).isEqualTo(times(r, c, t2, u2, true));
                    }
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(100);
    }

    /** A point of [lo, hi) near {@code x}, off the integers as the sweeps' samples are. */
    private static double inside(SplittableRandom rng, double lo, double hi, double x) {
        double a = Math.max(lo, x - 5000);
        double b = Math.min(hi, x + 5000);
        return Math.min(b - 0.25, Math.max(a + 0.25, Math.floor(rng.nextDouble(a, b)) + 0.25 + 0.5 * rng.nextInt(2)));
    }

    private static List<String> kinds(TimedRun.Result r) {
        return r.run().findings().stream().map(f -> f.kind().id()).sorted().toList();
    }

    /** CPU c's steps as "access@start", the starts evaluated at (t, u). */
    private static List<String> times(TimedRun.Result r, int c, double t, double u, boolean fromForms) {
        List<String> out = new ArrayList<>();
        for (TimedRun.Step s : r.steps()) {
            if (s.cpu() == c) {
                out.add(s.access() + "@" + s.start().at(t, u));
            }
        }
        return out;
    }
}
