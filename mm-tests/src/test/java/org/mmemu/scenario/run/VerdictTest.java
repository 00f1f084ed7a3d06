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
                List.of(f(FindingKind.USE_AFTER_FREE), f(FindingKind.DOUBLE_FREE))).holds()).isTrue();
        Verdict missing = Verdict.of(List.of(FindingKind.DOUBLE_FREE, FindingKind.LEAK), List.of(f(FindingKind.LEAK)));
        assertThat(missing.holds()).isFalse();
        assertThat(missing.missing()).containsExactly(FindingKind.DOUBLE_FREE);
        assertThat(missing.summary()).isEqualTo("expect [double-free, leak]: does not hold: missing [double-free], found [leak]");
    }

    @Test
    void anEmptyExpectationMeansNoFindingAtAll() {
        assertThat(Verdict.of(List.of(), List.of()).holds()).isTrue();
        assertThat(Verdict.of(List.of(), List.of(f(FindingKind.LEAK))).holds()).isFalse();
    }
}
