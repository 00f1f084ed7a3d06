package org.mmemu.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The oracle's rule ({@link Agreement#judge}) on made-up verdicts: each way it can fail, and passing. */
class AgreementTest {
    private static final OraclePair SEED = new OraclePair(OracleScope.SEED_RACE, "mm1");
    private static final OraclePair OTHER = new OraclePair("ehrhardt-pre-fix", "pre-fix");

    private static FrayVerdict fray(Map<String, Integer> first, int iterations) {
        Map<String, String> replay = new java.util.TreeMap<>();
        first.keySet().forEach(k -> replay.put(k, "target/oracle/fray/x/session-0/recording"));
        return new FrayVerdict("pos", 1, new TreeSet<>(first.keySet()), first, replay, iterations, 0, 10);
    }

    private static ControlledVerdict mmemu(boolean complete, String... kinds) {
        Map<String, String> schedules = new java.util.TreeMap<>();
        for (String k : kinds) {
            schedules.put(k, "any:0101");
        }
        return new ControlledVerdict("s", "p", "dpor", new TreeSet<>(Set.of(kinds)), schedules, complete, 100, 5);
    }

    @Test
    void sameKindsAgree() {
        Agreement a = Agreement.judge(SEED, fray(Map.of("double-free", 12), 100), mmemu(true, "double-free"));
        assertThat(a.agree()).isTrue();
        assertThat(a.problems()).isEmpty();
    }

    @Test
    void fewerKindsUnderFrayAgreeOutsideTheSeedRace() {
        Agreement a = Agreement.judge(OTHER, fray(Map.of(), 100), mmemu(true, "double-free", "leak"));
        assertThat(a.agree()).isTrue();
    }

    @Test
    void aKindOnlyFraySeesIsADisagreementWithFraysReplay() {
        Agreement a = Agreement.judge(OTHER, fray(Map.of("kernel-bug", 7), 100), mmemu(true));
        assertThat(a.agree()).isFalse();
        assertThat(a.problems()).singleElement().asString().contains("kernel-bug", "iteration 7",
                "session-0/recording");
        assertThat(a.report()).contains("Fray replay of kernel-bug");
    }

    @Test
    void aSeedRaceBugFrayMissesIsADisagreementWithMmemusSchedule() {
        Agreement a = Agreement.judge(SEED, fray(Map.of(), 1_000), mmemu(true, "double-free", "leak"));
        assertThat(a.agree()).isFalse();
        // the leak need not be found; the double free must
        assertThat(a.problems()).singleElement().asString().contains("double-free", "any:0101");
        assertThat(a.report()).contains("Explorer.replay(new OraclePair(\"seed-race\", \"mm1\")",
                "--protocol mm1 --delays anywhere --schedule 'any:0101'");
    }

    @Test
    void aSeedRaceBugFoundTooLateIsADisagreement() {
        Agreement a = Agreement.judge(SEED, fray(Map.of("double-free", 1_001), 1_001), mmemu(true, "double-free"));
        assertThat(a.agree()).isFalse();
    }

    @Test
    void anIncompleteReferenceNeverAgrees() {
        Agreement a = Agreement.judge(OTHER, fray(Map.of(), 100), mmemu(false));
        assertThat(a.agree()).isFalse();
        assertThat(a.problems()).singleElement().asString().contains("did not complete");
    }
}
