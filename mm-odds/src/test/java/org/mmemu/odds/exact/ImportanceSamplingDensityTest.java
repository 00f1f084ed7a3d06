package org.mmemu.odds.exact;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.mmemu.odds.HandlerDuration;
import org.mmemu.odds.TimingProfile;

/**
 * The importance sampler's offsets: the density it weighs a run by is the one it draws from
 * (a run weighed by the wrong density biases the estimate however many runs there are).
 */
class ImportanceSamplingDensityTest {
    @Test
    void theDensityIntegratesToOneAndIsWhatTheDrawsFollow() {
        TimingProfile p = OddsFixtures.profile(1e5, new HandlerDuration.Fixed(100), 0, new HandlerDuration.Fixed(100));
        SweepSetup setup = new SweepSetup(OddsFixtures.program("seed-race", "mm1"), 2, p.costs().costTable(), 0, 0, p,
                System.nanoTime() + 1_000_000_000L, 100_000);
        SweepTotals tot = new SweepTotals();
        // two pieces that overlap, one apart, and a gap of P = 0 between them
        tot.curve.put("a", new ArrayList<>(List.of(new double[] {0, 100, 40, 50}, new double[] {1_000, 1_010, 1, 1})));
        tot.curve.put("b", new ArrayList<>(List.of(new double[] {50, 150, 90, 100})));
        tot.meeting = new double[] {-500, 2_000};
        ImportanceSampling is = new ImportanceSampling(setup, tot);
        TreeSet<Double> cuts = new TreeSet<>(List.of(0.0, 50.0, 100.0, 150.0, 1_000.0, 1_010.0));
        double far = 8 * 100 + 1;
        cuts.add(-500 - far);
        cuts.add(2_000 + far);
        List<double[]> segments = new ArrayList<>();
        Double prev = null;
        for (double c : cuts) {
            if (prev != null) {
                segments.add(new double[] {prev, c, is.density((prev + c) / 2)});
            }
            prev = c;
        }
        double integral = segments.stream().mapToDouble(s -> (s[1] - s[0]) * s[2]).sum();
        assertThat(integral).isCloseTo(1, Offset.offset(1e-12));
        // the steps: heights 0.5 on [0, 50), 0.5 + 1 on [50, 100), 1 on [100, 150), 0.1 on [1000, 1010)
        assertThat(is.density(75) - is.density(-100)).isGreaterThan(is.density(25) - is.density(-100));
        assertThat(is.density(500)).isEqualTo(is.density(-100));
        int n = 400_000;
        int[] in = new int[segments.size()];
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < n; i++) {
            double t = is.offset(rng);
            for (int j = 0; j < segments.size(); j++) {
                if (t >= segments.get(j)[0] && t < segments.get(j)[1]) {
                    in[j]++;
                }
            }
        }
        for (int j = 0; j < segments.size(); j++) {
            double[] s = segments.get(j);
            double expected = (s[1] - s[0]) * s[2];
            double sigma = Math.sqrt(expected * (1 - expected) / n);
            assertThat(in[j] / (double) n).as("[%s, %s)", s[0], s[1]).isCloseTo(expected, Offset.offset(5 * sigma + 1e-9));
        }
    }
}
