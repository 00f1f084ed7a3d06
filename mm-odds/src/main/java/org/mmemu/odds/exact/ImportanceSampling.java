package org.mmemu.odds.exact;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.mmemu.odds.SampledWindow;
import org.mmemu.odds.TimingProfile;

/**
 * An importance-sampled Monte Carlo estimate of W with every interrupt the profile sends
 * ({@code mmemu odds --estimate N}; docs/ODDS.md, "An estimate of the whole W"): what the proven
 * interval cannot yet say, because runs with two or more interrupts are only bounded there.
 *
 * <p>Plain sampling at the profile's rates would need some 10⁷ runs to see mm1's double free once.
 * The sampler draws instead where the exact sweep found the findings, and weighs each run by how
 * much likelier the sampler made it (the likelihood ratio), so the mean is still W:
 * <ul>
 * <li>the offset t: with probability {@link #BY_MASS} in proportion to the enumerated P(finding | t)
 *     (the chart's steps, every kind together), with {@link #BY_LENGTH} uniformly over where that is
 *     not 0, otherwise uniformly over where the CPUs meet without an interrupt, widened by
 *     {@link #MARGIN} mean handlers each way (where a few handlers can still move the window);</li>
 * <li>the arrivals: each CPU's rate raised inside the windows of its exposure where one interrupt
 *     made a finding, until about one arrives there, and those handlers drawn long half the time
 *     ({@link TiltedDraws}); the rest as the profile draws them.</li>
 * </ul>
 * The estimate is of W over the offsets drawn; findings further out (more than a few handlers
 * away) are not seen. Its part from runs with at most one interrupt estimates what the sweep
 * computes exactly, a check of the sampler. Runs go in chunks of {@link #CHUNK}, each from its own
 * seed drawn from the given one, summed in order: the estimate does not depend on the threads.
 */
final class ImportanceSampling {
    /** Runs per chunk. */
    static final int CHUNK = 1000;
    /** The share of offsets drawn in proportion to the enumerated P(finding | t). */
    static final double BY_MASS = 0.6;
    /** The share drawn uniformly over where that is not 0. */
    static final double BY_LENGTH = 0.2;
    /** How many of the longest mean handler the offsets drawn reach beyond where the CPUs meet. */
    static final double MARGIN = 8;

    private final SweepSetup s;
    private final TiltedDraws.Tilt[] tilt;
    /** The enumerated P(finding | t), every kind together: steps from xs[i] to xs[i + 1] of height hs[i]. */
    private final double[] xs;
    private final double[] hs;
    /** Per step, the mass (height × length) of the steps before it and the length of those not 0; and the totals. */
    private final double[] massBefore;
    private final double[] lengthBefore;
    private final double mass;
    private final double length;
    private final double farFrom;
    private final double farTo;

    ImportanceSampling(SweepSetup setup, SweepTotals tot) {
        this.s = setup;
        // the pieces in a fixed order (the threads of the sweep add them in any), so the sums are the same bit for bit
        List<double[]> pieces = new ArrayList<>();
        tot.curve.values().forEach(pieces::addAll);
        pieces.sort(Comparator.<double[]>comparingDouble(p -> p[0]).thenComparingDouble(p -> p[1])
                .thenComparingDouble(p -> p[3]));
        TreeMap<Double, Double> steps = new TreeMap<>();
        for (double[] p : pieces) {
            double h = p[3] / (p[1] - p[0]);
            steps.merge(p[0], h, Double::sum);
            steps.merge(p[1], -h, Double::sum);
        }
        int n = Math.max(0, steps.size() - 1);
        xs = new double[n + 1];
        hs = new double[n];
        massBefore = new double[n + 1];
        lengthBefore = new double[n + 1];
        int i = 0;
        double h = 0;
        double highest = 0;
        for (Map.Entry<Double, Double> e : steps.entrySet()) {
            xs[i] = e.getKey();
            h += e.getValue();
            if (i < n) {
                hs[i] = h;
                highest = Math.max(highest, h);
            }
            i++;
        }
        for (i = 0; i < n; i++) {
            // where pieces end the running sum may leave a hair above or below 0: that is 0
            hs[i] = hs[i] > highest * 1e-9 ? hs[i] : 0;
            double len = xs[i + 1] - xs[i];
            massBefore[i + 1] = massBefore[i] + hs[i] * len;
            lengthBefore[i + 1] = lengthBefore[i] + (hs[i] > 0 ? len : 0);
        }
        mass = n == 0 ? 0 : massBefore[n];
        length = n == 0 ? 0 : lengthBefore[n];
        double longest = 0;
        for (TimingProfile.InterruptSource src : setup.profile().interrupts()) {
            longest = Math.max(longest, src.duration().mean().hi());
        }
        double lo = Math.min(tot.meeting[0], n == 0 ? Double.POSITIVE_INFINITY : xs[0]);
        double hi = Math.max(tot.meeting[1], n == 0 ? Double.NEGATIVE_INFINITY : xs[n]);
        farFrom = Math.max(setup.tFrom(), lo - MARGIN * longest - 1);
        farTo = Math.min(setup.tTo(), hi + MARGIN * longest + 1);
        tilt = new TiltedDraws.Tilt[setup.cpus()];
        for (int c = 0; c < setup.cpus(); c++) {
            tilt[c] = tilt(c, tot);
        }
    }

    /**
     * Samples {@code runs} runs on {@code workers} tasks of {@code pool}, until the setup's deadline;
     * per kind found, the estimate (none when nothing was enumerated to sample around).
     */
    static List<SampledWindow> run(SweepSetup setup, SweepTotals tot, long runs, long seed, ExecutorService pool,
            int workers) {
        ImportanceSampling is = new ImportanceSampling(setup, tot);
        if (!(is.farTo > is.farFrom) || Double.isInfinite(is.farTo - is.farFrom)) {
            return List.of();
        }
        int chunks = (int) Math.min(Integer.MAX_VALUE, (runs + CHUNK - 1) / CHUNK);
        long[] seeds = new SplittableRandom(seed).longs(chunks).toArray();
        Sums[] done = new Sums[chunks];
        AtomicInteger next = new AtomicInteger();
        List<Future<?>> tasks = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            tasks.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < chunks && System.nanoTime() - setup.deadlineNanos() < 0;
                        i = next.getAndIncrement()) {
                    done[i] = is.chunk(new SplittableRandom(seeds[i]), (int) Math.min(CHUNK, runs - (long) i * CHUNK));
                }
            }));
        }
        for (Future<?> f : tasks) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("the sampled estimate failed", e.getCause());
            }
        }
        Sums all = new Sums();
        for (Sums d : done) {
            if (d == null) {
                break;   // the deadline: the chunks before it, in order
            }
            all.add(d);
        }
        if (all.runs == 0) {
            return List.of();
        }
        List<SampledWindow> out = new ArrayList<>();
        for (Map.Entry<String, double[]> e : all.byKind.entrySet()) {
            double[] m = e.getValue();
            out.add(new SampledWindow(e.getKey(), all.runs, (long) m[Sums.HITS], m[Sums.SUM] / all.runs,
                    stdError(m[Sums.SUM], m[Sums.SQUARES], all.runs), m[Sums.ONE_SUM] / all.runs,
                    stdError(m[Sums.ONE_SUM], m[Sums.ONE_SQUARES], all.runs), is.farFrom, is.farTo));
        }
        return out;
    }

    /** One chunk of runs. */
    private Sums chunk(SplittableRandom rng, int n) {
        Sums sums = new Sums();
        double[] exposure = new double[s.cpus()];
        for (int i = 0; i < n; i++) {
            double t = offset(rng);
            TiltedDraws draws = new TiltedDraws(s.profile(), tilt, rng);
            TimedRun.Result r = TimedRun.run(s.program(), s.cpus(), s.costs(), s.offsetCpu(), t, 0,
                    TimedRun.Plan.arrivals(draws), s.maxSteps());
            sums.runs++;
            if (r.run().findings().isEmpty()) {
                continue;
            }
            for (int c = 0; c < s.cpus(); c++) {
                exposure[c] = r.exposure()[c].at(t, 0);
            }
            double w = draws.ratio(exposure) / density(t);
            r.run().findings().stream().map(f -> f.kind().id()).distinct()
                    .forEach(k -> sums.add(k, w, r.interrupts() <= 1));
        }
        return sums;
    }

    /** An offset t drawn from the sampler's density. */
    double offset(SplittableRandom rng) {
        double v = rng.nextDouble();
        double w = rng.nextDouble();
        if (mass > 0 && v < BY_MASS) {
            return within(massBefore, mass * w, true);
        }
        if (length > 0 && v < BY_MASS + BY_LENGTH) {
            return within(lengthBefore, length * w, false);
        }
        return Math.min(farFrom + (farTo - farFrom) * w, Math.nextDown(farTo));
    }

    /** The t at which {@code cumulative} (mass or length of the steps not 0) reaches {@code x}. */
    private double within(double[] cumulative, double x, boolean byMass) {
        int i = Arrays.binarySearch(cumulative, x);
        i = i >= 0 ? i : -i - 2;
        while (i < hs.length - 1 && (hs[i] == 0 || cumulative[i + 1] <= x)) {
            i++;   // past steps of height 0 (no mass, no length) where the search landed on their start
        }
        double per = byMass ? hs[i] : 1;
        return Math.min(xs[i] + (x - cumulative[i]) / per, Math.nextDown(xs[i + 1]));
    }

    /** The sampler's density of t. */
    double density(double t) {
        double d = t >= farFrom && t < farTo ? (1 - share()) / (farTo - farFrom) : 0;
        int i = Arrays.binarySearch(xs, t);
        i = i >= 0 ? i : -i - 2;
        if (i >= 0 && i < hs.length && hs[i] > 0) {
            d += (mass > 0 ? BY_MASS * hs[i] / mass : 0) + (length > 0 ? BY_LENGTH / length : 0);
        }
        return d;
    }

    /** The share of offsets drawn near the enumerated findings (none when there are none). */
    private double share() {
        return (mass > 0 ? BY_MASS : 0) + (length > 0 ? BY_LENGTH : 0);
    }

    /** c's raised windows: where one interrupt on c made a finding, κ to about one arrival there. */
    private TiltedDraws.Tilt tilt(int c, SweepTotals tot) {
        List<double[]> windows = new ArrayList<>();
        double shortest = Double.POSITIVE_INFINITY;
        for (double[] w : tot.findingWindows.values()) {
            if ((int) w[0] == c && w[2] > w[1]) {
                windows.add(new double[] {w[1], w[2]});
                shortest = Math.min(shortest, w[3]);
            }
        }
        double rate = s.profile().ratePerSecond(c) / s.profile().clockHz();
        List<double[]> u = union(windows);
        double length = u.stream().mapToDouble(w -> w[1] - w[0]).sum();
        if (u.isEmpty() || rate == 0) {
            return TiltedDraws.Tilt.NONE;
        }
        return new TiltedDraws.Tilt(u, Math.max(1, 1 / (rate * length)), shortest);
    }

    /** The union of ranges {from, to}, as disjoint ranges in order. */
    private static List<double[]> union(List<double[]> ranges) {
        List<double[]> sorted = new ArrayList<>(ranges.stream().filter(r -> r[1] > r[0]
                && Double.isFinite(r[0]) && Double.isFinite(r[1])).toList());
        sorted.sort(Comparator.comparingDouble(r -> r[0]));
        List<double[]> out = new ArrayList<>();
        for (double[] r : sorted) {
            double[] last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && r[0] <= last[1]) {
                last[1] = Math.max(last[1], r[1]);
            } else {
                out.add(new double[] {r[0], r[1]});
            }
        }
        return out;
    }

    private static double stdError(double sum, double squares, long n) {
        double mean = sum / n;
        return Math.sqrt(Math.max(0, squares / n - mean * mean) / n);
    }

    /** Per kind: Σw, Σw², the same for runs with at most one interrupt, and the runs that found it. */
    private static final class Sums {
        static final int SUM = 0;
        static final int SQUARES = 1;
        static final int ONE_SUM = 2;
        static final int ONE_SQUARES = 3;
        static final int HITS = 4;
        final Map<String, double[]> byKind = new TreeMap<>();
        long runs;

        void add(String kind, double w, boolean atMostOne) {
            double[] m = byKind.computeIfAbsent(kind, k -> new double[HITS + 1]);
            m[SUM] += w;
            m[SQUARES] += w * w;
            if (atMostOne) {
                m[ONE_SUM] += w;
                m[ONE_SQUARES] += w * w;
            }
            m[HITS]++;
        }

        void add(Sums o) {
            runs += o.runs;
            o.byKind.forEach((k, v) -> {
                double[] m = byKind.computeIfAbsent(k, x -> new double[HITS + 1]);
                for (int i = 0; i <= HITS; i++) {
                    m[i] += v[i];
                }
            });
        }
    }
}
