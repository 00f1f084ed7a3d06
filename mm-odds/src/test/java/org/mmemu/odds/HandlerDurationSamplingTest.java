package org.mmemu.odds;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The draws Monte Carlo and the importance sampler take of a handler's duration ({@link
 * HandlerDuration#sample}, {@link HandlerDuration#sampleAbove}): by inversion of a uniform, so a
 * fine grid of uniforms stands for the distribution, and the share of the grid above y is the
 * tail there.
 */
class HandlerDurationSamplingTest {
    private static final int GRID = 100_000;
    private static final List<HandlerDuration> KINDS = List.of(new HandlerDuration.Fixed(4_400),
            new HandlerDuration.Uniform(4_400, 13_200), new HandlerDuration.Exponential(22_000),
            new HandlerDuration.Table(List.of(new HandlerDuration.Table.Entry(4_400, 0.9),
                    new HandlerDuration.Table.Entry(22_000, 0.1))));

    @Test
    void aGridOfUniformsDrawsTheTailAndTheMean() {
        for (HandlerDuration d : KINDS) {
            for (double y : new double[] {0, 4_400, 8_000, 22_000, 60_000}) {
                assertThat(shareAbove(d, Double.NEGATIVE_INFINITY, y)).as("%s above %s", d, y)
                        .isCloseTo(d.tail(y).mid(), org.assertj.core.data.Offset.offset(2.0 / GRID + 1e-9));
            }
            double sum = 0;
            for (int i = 0; i < GRID; i++) {
                sum += d.sample((i + 0.5) / GRID);
            }
            assertThat(sum / GRID).as("%s mean", d).isCloseTo(d.mean().mid(),
                    org.assertj.core.data.Percentage.withPercentage(0.2));
        }
    }

    @Test
    void drawsAboveXAreAboveXAndTheTailGivenX() {
        for (HandlerDuration d : KINDS) {
            for (double x : new double[] {0, 4_000, 9_000, 30_000}) {
                if (d.tail(x).mid() == 0) {
                    continue;
                }
                for (double y : new double[] {x, x + 1_000, x + 10_000, x + 40_000}) {
                    double given = d.tail(y).mid() / d.tail(x).mid();
                    assertThat(shareAbove(d, x, y)).as("%s above %s given above %s", d, y, x)
                            .isCloseTo(given, org.assertj.core.data.Offset.offset(2.0 / GRID + 1e-9));
                }
            }
        }
    }

    /** The share of the grid's draws above y, drawn above x (or unconditioned when x is −∞). */
    private static double shareAbove(HandlerDuration d, double x, double y) {
        int above = 0;
        for (int i = 0; i < GRID; i++) {
            double v = (i + 0.5) / GRID;
            double draw = x == Double.NEGATIVE_INFINITY ? d.sample(v) : d.sampleAbove(x, v);
            if (x != Double.NEGATIVE_INFINITY) {
                assertThat(draw).isGreaterThan(x);
            }
            if (draw > y) {
                above++;
            }
        }
        return above / (double) GRID;
    }
}
