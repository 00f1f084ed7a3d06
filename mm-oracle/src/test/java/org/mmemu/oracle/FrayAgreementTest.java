package org.mmemu.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.mmemu.scenario.run.Scenarios;

/**
 * The agreement test (issue 15), in Fray's instrumented JVM: every compared pair under Fray's POS
 * scheduler with a fixed seed, judged against the controlled engine's verdict that
 * {@link ControlledVerdictsTest} wrote; {@code target/oracle/agreement.json} gets one entry per
 * pair, and a disagreement fails the build with both engines' schedules.
 */
class FrayAgreementTest {
    static final long SEED = Long.getLong("oracle.fray.seed", 1);
    /** Fray's iterations per pair: what CI's time affords (docs/ORACLE.md). */
    static final int BUDGET = Integer.getInteger("oracle.fray.iterations", 100);
    /** Fray scheduling points one iteration may take (an iteration of the seed race takes 1,000 to 4,000; a livelock would take them all). */
    static final int MAX_STEPS = Integer.getInteger("oracle.fray.maxSteps", 20_000);

    @Test
    void frayAgreesWithTheControlledEngine() {
        Scenarios scenarios = Scenarios.standard();
        Map<String, ControlledVerdict> reference = OracleFiles.readControlled().stream()
                .collect(Collectors.toMap(v -> v.scenario() + "/" + v.protocol(), Function.identity()));
        List<Agreement> entries = new ArrayList<>();
        for (OraclePair pair : OracleScope.pairs(scenarios)) {
            ControlledVerdict mmemu = reference.get(pair.scenario() + "/" + pair.protocol());
            assertThat(mmemu).as("the controlled engine's verdict on %s", pair).isNotNull();
            // The budget for every pair; on the seed race Fray goes on looking for the controlled
            // engine's bugs up to the 1,000 iterations.
            Set<String> awaited = new TreeSet<>(mmemu.kinds());
            awaited.retainAll(pair.seedRace() ? Agreement.MUST_FIND : Set.of());
            FrayOracle.Options o = new FrayOracle.Options("pos", SEED, BUDGET, awaited, Agreement.MUST_FIND_WITHIN, 300,
                    MAX_STEPS, OracleFiles.frayReports().resolve(pair.scenario() + "." + pair.protocol()));
            FrayVerdict fray = FrayOracle.run(pair.program(scenarios), o);
            Agreement a = Agreement.judge(pair, fray, mmemu);
            System.out.printf("fray  %-32s %s in %,d iterations, %,d ms (first: %s); mmemu %s: %s%n", pair,
                    fray.kinds(), fray.iterations(), fray.millis(), fray.firstIteration(), mmemu.kinds(),
                    a.agree() ? "agree" : "DISAGREE");
            entries.add(a);
        }
        OracleFiles.write(OracleFiles.agreement(), entries);
        String disagreements = entries.stream().filter(a -> !a.agree()).map(Agreement::report)
                .collect(Collectors.joining("\n"));
        assertThat(disagreements).as("Fray and the controlled engine disagree (%s):%n%s", OracleFiles.agreement(),
                disagreements).isEmpty();
    }
}
