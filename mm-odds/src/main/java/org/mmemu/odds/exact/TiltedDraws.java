package org.mmemu.odds.exact;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.mmemu.odds.TimingProfile;

/**
 * The draws of one importance-sampled run ({@link ImportanceSampling}): each CPU's arrivals a
 * Poisson process in its exposure time whose rate is raised κ-fold inside the windows where one
 * interrupt was seen to make a finding, and there each handler drawn half the time from its
 * source's distribution and half the time from it given that it is longer than the shortest
 * handler seen to make one (a defensive mixture: every duration the profile can draw stays
 * possible). The draws keep the likelihood ratio of what was delivered, the profile's density over
 * the sampler's; {@link #ratio} adds the part of the arrivals that did not come.
 */
final class TiltedDraws implements TimedRun.Draws {
    /** Where CPU c's rate is raised: disjoint windows {from, to} of its exposure, in order; κ and the threshold. */
    record Tilt(List<double[]> windows, double kappa, double shortest) {
        static final Tilt NONE = new Tilt(List.of(), 1, 0);

        boolean covers(double e) {
            for (double[] w : windows) {
                if (e > w[0] && e <= w[1]) {
                    return true;
                }
            }
            return false;
        }

        /** The length of the windows within [0, e]. */
        double within(double e) {
            double sum = 0;
            for (double[] w : windows) {
                sum += Math.max(0, Math.min(e, w[1]) - Math.max(0, w[0]));
            }
            return sum;
        }
    }

    private final TimingProfile profile;
    private final Tilt[] tilt;
    private final double[] rate;
    private final SplittableRandom rng;
    private final double[] last;
    /** Per CPU, the exposure time of the last arrival delivered (0 before one). */
    private final double[] delivered;
    /** Per CPU, the arrivals drawn and not yet delivered: {duration, its factor of the ratio, its exposure time}. */
    private final List<ArrayDeque<double[]>> pending;
    private double ratio = 1;

    TiltedDraws(TimingProfile profile, Tilt[] tilt, SplittableRandom rng) {
        this.profile = profile;
        this.tilt = tilt;
        this.rng = rng;
        int n = tilt.length;
        rate = new double[n];
        last = new double[n];
        delivered = new double[n];
        pending = new ArrayList<>(n);
        for (int c = 0; c < n; c++) {
            rate[c] = profile.ratePerSecond(c) / profile.clockHz();
            pending.add(new ArrayDeque<>());
        }
    }

    @Override
    public double gap(int c) {
        if (rate[c] == 0) {
            return Double.POSITIVE_INFINITY;
        }
        double from = last[c];
        double at = next(c, from, -Math.log1p(-rng.nextDouble()));
        boolean raised = tilt[c].covers(at);
        TimingProfile.InterruptSource src = source(c, rng.nextDouble());
        double x = tilt[c].shortest();
        double tail = raised ? src.duration().tail(x).mid() : 0;
        double d;
        double r = raised ? 1 / tilt[c].kappa() : 1;
        if (tail > 0) {
            boolean longer = rng.nextDouble() < 0.5;
            d = longer ? src.duration().sampleAbove(x, rng.nextDouble()) : src.duration().sample(rng.nextDouble());
            r /= 0.5 + (d > x ? 0.5 / tail : 0);
        } else {
            d = src.duration().sample(rng.nextDouble());
        }
        pending.get(c).add(new double[] {d, r, at});
        last[c] = at;
        return at - from;
    }

    @Override
    public double duration(int c) {
        double[] next = pending.get(c).poll();
        ratio *= next[1];
        delivered[c] = next[2];
        return next[0];
    }

    /**
     * The likelihood ratio of the run: the delivered arrivals' factors and, for the raised windows,
     * e^{(κ − 1)·λ·(the part of them the run looked at)}. A CPU's process was looked at up to its
     * last boundary with irqs on ({@code exposure}, what {@link TimedRun.Result#exposure} gives) or
     * up to its last arrival delivered, whichever is later: when the other CPU's finding stops the
     * run during a handler, the CPU never comes back to a boundary, and the arrival that started
     * the handler lies past its last one.
     */
    double ratio(double[] exposure) {
        double log = 0;
        for (int c = 0; c < tilt.length; c++) {
            log += (tilt[c].kappa() - 1) * rate[c] * tilt[c].within(Math.max(exposure[c], delivered[c]));
        }
        return ratio * Math.exp(log);
    }

    /** The exposure where a unit-rate hazard of {@code need} is used up from {@code from}, the rate raised in the windows. */
    private double next(int c, double from, double need) {
        double at = from;
        for (double[] w : tilt[c].windows()) {
            if (w[1] <= at) {
                continue;
            }
            double plain = Math.max(0, w[0] - at) * rate[c];
            if (need <= plain) {
                return at + need / rate[c];
            }
            need -= plain;
            at = Math.max(at, w[0]);
            double raised = (w[1] - at) * rate[c] * tilt[c].kappa();
            if (need <= raised) {
                return at + need / (rate[c] * tilt[c].kappa());
            }
            need -= raised;
            at = w[1];
        }
        return at + need / rate[c];
    }

    /** c's source of an arrival, by its share of c's rate. */
    private TimingProfile.InterruptSource source(int c, double v) {
        List<TimingProfile.InterruptSource> srcs = profile.sourcesOn(c);
        double left = v * rate[c] * profile.clockHz();
        for (TimingProfile.InterruptSource s : srcs) {
            left -= s.ratePerSecond();
            if (left < 0) {
                return s;
            }
        }
        return srcs.get(srcs.size() - 1);
    }
}
