package org.mmemu.engine.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mmemu.engine.StateKey;

/** The visited set of the merging search: dominance by budget and rows, and a table that grows. */
class VisitedStatesTest {
    private static final StateKey A = new StateKey(1, 2);

    @Test
    void aLaterVisitIsCutOnlyWhenAnEarlierOneHadNoLessOfBothBudgets() {
        VisitedStates v = new VisitedStates();
        assertThat(v.visit(A, 1, 100)).as("first visit").isTrue();
        assertThat(v.visit(A, 1, 100)).as("the same budget again").isFalse();
        assertThat(v.visit(A, 2, 120)).as("more spent, more rows").isFalse();
        assertThat(v.visit(A, 0, 120)).as("less of the bound spent, more rows: neither dominates").isTrue();
        assertThat(v.visit(A, 0, 120)).as("and the first visit's budget is kept").isTrue();
        assertThat(v.visit(A, 0, 90)).as("less of both: goes on, and replaces it").isTrue();
        assertThat(v.visit(A, 0, 95)).as("dominated by the replacement").isFalse();
        assertThat(v.visit(A, 1, 100)).as("so is the first visit's budget now").isFalse();
        assertThat(v.visit(new StateKey(1, 3), 5, 1000)).as("another key").isTrue();
        assertThat(v.distinct()).isEqualTo(2);
    }

    @Test
    void theZeroKeyIsAStateLikeAnyOther() {
        VisitedStates v = new VisitedStates();
        assertThat(v.visit(new StateKey(0, 0), 0, 1)).isTrue();
        assertThat(v.visit(new StateKey(0, 0), 0, 1)).isFalse();
    }

    @Test
    void manyStatesAreAllKeptAcrossGrowth() {
        VisitedStates v = new VisitedStates();
        SplittableRandom rng = new SplittableRandom(3);
        long[][] keys = new long[100_000][2];
        for (long[] k : keys) {
            k[0] = rng.nextLong();
            k[1] = rng.nextLong();
            assertThat(v.visit(new StateKey(k[0], k[1]), 1, 10)).isTrue();
        }
        assertThat(v.distinct()).isEqualTo(keys.length);
        for (long[] k : keys) {
            assertThat(v.visit(new StateKey(k[0], k[1]), 1, 10)).isFalse();
        }
    }
}
