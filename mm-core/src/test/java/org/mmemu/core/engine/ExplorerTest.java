package org.mmemu.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.FindingKind;

class ExplorerTest {
    private static final ExploreOptions EXH = ExploreOptions.defaults();

    @Test
    void lostUpdateIsFoundWithOnePreemptionAndNotWithout() {
        Program p = TinyPrograms.lostUpdate(2, 2);
        ExploreResult none = Explorer.explore(p, EXH.withPreemptionBound(0));
        assertThat(none.verdict()).isEqualTo(ExploreResult.Verdict.NONE);
        assertThat(none.complete()).isTrue();

        ExploreResult one = Explorer.explore(p, EXH.withPreemptionBound(1));
        System.out.println(one);
        assertThat(one.verdict()).isEqualTo(ExploreResult.Verdict.FOUND);
        assertThat(one.findings()).extracting(f -> f.kind()).containsExactly(FindingKind.ACCOUNTING);
        String schedule = one.findings().get(0).schedule();
        System.out.println(schedule);
        System.out.println(one.firstTrace().format());
        RunResult again = Explorer.replay(p, schedule);
        assertThat(again.findings()).extracting(f -> f.kind()).containsExactly(FindingKind.ACCOUNTING);
        assertThat(again.trace().hash()).isEqualTo(one.firstTrace().hash());
    }

    @Test
    void counts() {
        String[][] independent = {{"a", "b"}, {"c", "d"}};
        Program p = TinyPrograms.steps(Access.WRITE, independent);
        ExploreResult noPor = Explorer.explore(p, EXH.withPreemptionBound(-1).withPor(false));
        ExploreResult por = Explorer.explore(p, EXH.withPreemptionBound(-1));
        System.out.println(noPor + "\n" + por);
    }
}
