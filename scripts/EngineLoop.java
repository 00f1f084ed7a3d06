import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.mmemu.engine.DelayModel;
import org.mmemu.engine.ExploreOptions;
import org.mmemu.engine.ExploreResult;
import org.mmemu.engine.control.Explorer;
import org.mmemu.scenario.Scenario;
import org.mmemu.scenario.run.KernelWiring;
import org.mmemu.scenario.run.ScenarioProgram;
import org.mmemu.scenario.run.Scenarios;

/**
 * The engine's microseconds per schedule through the public API only, so that the same file
 * runs against an older tree (scripts/engine-ab.sh): the three-CPU scenario, exhaustive,
 * anywhere, the bound given, ROUNDS rounds of always-lock and dec-and-lock in turns; prints the median
 * over the second half of the rounds (the JIT has settled by then).
 *
 * Usage: java --add-exports java.base/jdk.internal.vm=ALL-UNNAMED -cp CP EngineLoop.java BOUND THREADS ROUNDS LABEL
 */
public class EngineLoop {
    public static void main(String[] a) {
        int bound = Integer.parseInt(a[0]);
        int threads = Integer.parseInt(a[1]);
        int rounds = Integer.parseInt(a[2]);
        Scenario s = Scenarios.standard().resolve("seed-race-three-cpus");
        String[] protocols = {"always-lock", "dec-and-lock"};
        List<List<Double>> us = List.of(new ArrayList<>(), new ArrayList<>());
        long[] steps = new long[protocols.length];
        for (int round = 0; round < rounds; round++) {
            for (int k = 0; k < protocols.length; k++) { // the protocols take turns: both warm alike
                ExploreOptions o = ExploreOptions.defaults().withPolicy("exhaustive").withDelays(DelayModel.ANYWHERE)
                        .withPreemptionBound(bound).withShrink(false).withStopAtFirst(false).withThreads(threads)
                        .withMaxSchedules(10_000_000).withTimeLimit(Duration.ofMinutes(5));
                ExploreResult r = Explorer.explore(new ScenarioProgram(s, protocols[k], KernelWiring.standard()), o);
                steps[k] = r.steps() / r.schedules();
                if (round >= rounds / 2) {
                    us.get(k).add(r.elapsedMillis() * 1000.0 / r.schedules());
                }
            }
        }
        StringBuilder out = new StringBuilder(a.length > 3 ? a[3] : "");
        for (int k = 0; k < protocols.length; k++) {
            List<Double> x = us.get(k);
            x.sort(null);
            double median = x.get(x.size() / 2);
            out.append(String.format(" %s: %.1f us/schedule (%.2f M steps/s)", protocols[k], median, steps[k] / median));
        }
        System.out.println(out);
    }
}
