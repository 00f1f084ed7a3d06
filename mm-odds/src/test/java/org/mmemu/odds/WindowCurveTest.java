package org.mmemu.odds;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link WindowCurve}: overlapping pieces add, equal neighbours merge, and the cap keeps the area. */
class WindowCurveTest {
    @Test
    void overlappingPiecesAddAndEqualNeighboursMerge() {
        // [0, 10) at 0.1, [5, 15) at 0.2 (mass 2), [15, 20) at 0.2: 0.1, 0.3, 0.2 over [5, 20)
        WindowCurve c = WindowCurve.of(List.of(new double[] {0, 10, 1, 1}, new double[] {5, 15, 2, 2},
                new double[] {15, 20, 1, 1}), 100);
        assertThat(c.steps()).hasSize(3);
        assertThat(c.steps().get(0).to()).isEqualTo(5);
        assertThat(c.steps().get(1).p().contains(0.3)).isTrue();
        assertThat(c.steps().get(2).from()).isEqualTo(10);
        assertThat(c.steps().get(2).to()).isEqualTo(20);
        assertThat(c.area().contains(4)).isTrue();
    }

    @Test
    void gapsStayGapsAndUnboundedPiecesAreLeftOut() {
        WindowCurve c = WindowCurve.of(List.of(new double[] {0, 1, 0.5, 0.5}, new double[] {3, 4, 0.5, 0.5},
                new double[] {Double.NEGATIVE_INFINITY, 0, 1, 1}), 100);
        assertThat(c.steps()).hasSize(2);
        assertThat(c.steps().get(1).from()).isEqualTo(3);
    }

    @Test
    void theCapAveragesNeighboursAndKeepsTheArea() {
        List<double[]> pieces = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            pieces.add(new double[] {i, i + 1, (i % 7) / 10.0, (i % 7) / 10.0});
        }
        WindowCurve c = WindowCurve.of(pieces, 50);
        assertThat(c.steps()).hasSizeLessThanOrEqualTo(50);
        double sum = pieces.stream().mapToDouble(p -> p[2]).sum();
        assertThat(c.area().lo()).isLessThanOrEqualTo(sum * (1 + 1e-12));
        assertThat(c.area().hi()).isGreaterThanOrEqualTo(sum * (1 - 1e-12));
    }
}
