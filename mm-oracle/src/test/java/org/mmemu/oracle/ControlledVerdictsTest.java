package org.mmemu.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmemu.engine.control.Explorer;
import org.mmemu.scenario.run.Scenarios;

/**
 * The reference half of the oracle, on the plain JDK: the controlled engine's complete verdict on
 * every compared pair, written to {@code target/oracle/mmemu.json} for {@link FrayAgreementTest},
 * which runs next in Fray's JVM (surefire's executions run in the order of the pom).
 */
class ControlledVerdictsTest {
    /** Per pair; the whole space of the seed race is a few thousand traces. */
    private static final Duration LIMIT = Duration.ofSeconds(Long.getLong("oracle.mmemu.seconds", 120));

    @Test
    void everyComparedPairHasACompleteVerdict() {
        Scenarios scenarios = Scenarios.standard();
        ControlledOracle oracle = new ControlledOracle(scenarios, LIMIT);
        List<ControlledVerdict> verdicts = new ArrayList<>();
        for (OraclePair pair : OracleScope.pairs(scenarios)) {
            ControlledVerdict v = oracle.verdict(pair);
            System.out.printf("mmemu %-32s %-10s %s, %,d executions, %,d ms: %s%n", pair, v.policy(),
                    v.complete() ? "complete" : "INCOMPLETE", v.executions(), v.millis(), v.kinds());
            verdicts.add(v);
            // The schedule a disagreement would print replays to its kind on the same program.
            v.schedules().forEach((kind, schedule) -> assertThat(Explorer.replay(pair.program(scenarios), schedule)
                    .findings()).as("%s: replay of %s's schedule %s", pair, kind, schedule)
                    .anySatisfy(f -> assertThat(f.kind().id()).isEqualTo(kind)));
        }
        OracleFiles.write(OracleFiles.controlled(), verdicts);
        // What the issue says both engines must show on the seed race, from the reference side.
        assertThat(verdicts).filteredOn(v -> v.scenario().equals(OracleScope.SEED_RACE) && v.protocol().equals("mm1"))
                .allSatisfy(v -> assertThat(v.kinds()).contains("double-free"));
        assertThat(verdicts).filteredOn(v -> v.scenario().equals(OracleScope.SEED_RACE)
                        && List.of("always-lock", "dec-and-lock", "testone", "unless-zero").contains(v.protocol()))
                .allSatisfy(v -> assertThat(v.kinds()).doesNotContain("double-free", "kernel-bug"));
    }
}
