package org.mmemu.scenario.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mmemu.core.emu.Finding;
import org.mmemu.core.emu.FindingKind;

class VerdictTest {
    private static Finding f(FindingKind k) {
        return new Finding(k, 1, 0, null, "m", List.of(), Map.of(), "");
    }

    @Test
    void expectedKindsMustAllOccurAndOthersMayAccompanyThem() {
        assertThat(Verdict.of(List.of(FindingKind.DOUBLE_FREE),
                List.of(f(FindingKind.USE_AFTER_FREE), f(FindingKind.DOUBLE_FREE)), false, "cap").holds()).isTrue();
        Verdict missing = Verdict.of(List.of(FindingKind.DOUBLE_FREE, FindingKind.LEAK), List.of(f(FindingKind.LEAK)),
                true, "");
        assertThat(missing.holds()).isFalse();
        assertThat(missing.missing()).containsExactly(FindingKind.DOUBLE_FREE);
        assertThat(missing.summary()).isEqualTo("expect [double-free, leak]: does not hold: missing [double-free], found [leak]");
    }

    @Test
    void anEmptyExpectationMeansNoFindingAtAllInACoveredSpace() {
        assertThat(Verdict.of(List.of(), List.of(), true, "").holds()).isTrue();
        assertThat(Verdict.of(List.of(), List.of(f(FindingKind.LEAK)), true, "").holds()).isFalse();
        assertThat(Verdict.of(List.of(), List.of(f(FindingKind.LEAK)), false, "cap").outcome())
                .isEqualTo(Verdict.Outcome.FAILS);
    }

    @Test
    void aSearchCutShortThatContradictsNothingIsInconclusiveNeverAPass() {
        Verdict clean = Verdict.of(List.of(), List.of(), false, "the time limit (1s) hit after 0 schedules");
        assertThat(clean.outcome()).isEqualTo(Verdict.Outcome.INCONCLUSIVE);
        assertThat(clean.holdsOrNull()).isNull();
        assertThat(clean.outcome().exitStatus()).isEqualTo(4);
        assertThat(clean.summary()).contains("INCOMPLETE").contains("time limit (1s) hit after 0 schedules");
        Verdict notYet = Verdict.of(List.of(FindingKind.DOUBLE_FREE), List.of(), false, "cap");
        assertThat(notYet.outcome()).isEqualTo(Verdict.Outcome.INCONCLUSIVE);
        assertThat(Verdict.of(List.of(FindingKind.DOUBLE_FREE), List.of(), true, "").outcome())
                .isEqualTo(Verdict.Outcome.FAILS);
    }
}
