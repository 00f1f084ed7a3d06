package org.mmemu.odds;

import java.util.List;

/**
 * How long an interrupt handler runs, in cycles: a distribution of the timing profile (issue 22,
 * item 1). What the exact computation needs of it is its tail, P(duration &gt; d): the chance that
 * a handler outlasts the span of steps another CPU must finish (the footnote's "handler outlasts
 * shrink_list() and the put-back"). Each tail is an {@link Interval} enclosing the exact value.
 */
public sealed interface HandlerDuration {
    /** The name the profile format uses: fixed, uniform, exponential or table. */
    String kind();

    /** P(duration &gt; d) for {@code d} cycles. */
    Interval tail(double d);

    /** The mean duration in cycles, for summaries. */
    Interval mean();

    /**
     * E[(D − x)⁺] = ∫ₓ^∞ P(D &gt; y) dy, the tail integrated from {@code x} (a finite number of
     * cycles, negative allowed: then it is the mean minus x). The exact computation needs it: the
     * probability that a handler ends in a range of times whose ends move with the start offset t
     * is a tail integrated over t (docs/ODDS.md, "Method").
     */
    Interval excess(double x);

    /**
     * A duration drawn by inversion from {@code v}, uniform on [0, 1): what Monte Carlo sampling of
     * the profile draws ({@code odds --estimate}, the agreement test).
     */
    double sample(double v);

    /**
     * A duration drawn by inversion from {@code v} given that it exceeds {@code x}: the importance
     * sampler's draw where only long handlers can make a finding. Only called where {@link #tail}
     * of {@code x} is not 0.
     */
    double sampleAbove(double x, double v);

    /** Always {@code cycles}. */
    record Fixed(long cycles) implements HandlerDuration {
        public Fixed {
            if (cycles < 0) {
                throw new IllegalArgumentException("a duration must not be negative");
            }
        }

        @Override
        public String kind() {
            return "fixed";
        }

        @Override
        public Interval tail(double d) {
            return cycles > d ? Interval.ONE : Interval.ZERO;
        }

        @Override
        public Interval mean() {
            return Interval.point(cycles);
        }

        @Override
        public Interval excess(double x) {
            return x >= cycles ? Interval.ZERO : Interval.point(cycles).subtract(Interval.point(x));
        }

        @Override
        public double sample(double v) {
            return cycles;
        }

        @Override
        public double sampleAbove(double x, double v) {
            return cycles;
        }
    }

    /** Uniform on the reals of [min, max]. */
    record Uniform(long min, long max) implements HandlerDuration {
        public Uniform {
            if (min < 0 || max <= min) {
                throw new IllegalArgumentException("a uniform duration needs 0 <= min < max");
            }
        }

        @Override
        public String kind() {
            return "uniform";
        }

        @Override
        public Interval tail(double d) {
            if (d < min) {
                return Interval.ONE;
            }
            if (d >= max) {
                return Interval.ZERO;
            }
            return Interval.point(max).subtract(Interval.point(d))
                    .divide(Interval.point(max).subtract(Interval.point(min))).asProbability();
        }

        @Override
        public Interval mean() {
            return Interval.point(min).add(Interval.point(max)).divide(Interval.point(2));
        }

        @Override
        public Interval excess(double x) {
            if (x >= max) {
                return Interval.ZERO;
            }
            if (x <= min) {
                return mean().subtract(Interval.point(x));
            }
            Interval rest = Interval.point(max).subtract(Interval.point(x));
            return rest.multiply(rest).divide(Interval.point(2).multiply(Interval.point(max).subtract(Interval.point(min))));
        }

        @Override
        public double sample(double v) {
            return min + (max - min) * v;
        }

        @Override
        public double sampleAbove(double x, double v) {
            double from = Math.max(min, x);
            return from + (max - from) * v;
        }
    }

    /** Exponential with the given mean: P(D &gt; d) = e^{−d/mean}. */
    record Exponential(double meanCycles) implements HandlerDuration {
        public Exponential {
            if (!(meanCycles > 0) || Double.isInfinite(meanCycles)) {
                throw new IllegalArgumentException("an exponential duration needs a positive, finite mean");
            }
        }

        @Override
        public String kind() {
            return "exponential";
        }

        @Override
        public Interval tail(double d) {
            if (d < 0) {
                return Interval.ONE;
            }
            return Interval.point(d).divide(Interval.point(meanCycles)).negate().exp().asProbability();
        }

        @Override
        public Interval mean() {
            return Interval.point(meanCycles);
        }

        @Override
        public Interval excess(double x) {
            if (x <= 0) {
                return mean().subtract(Interval.point(x));
            }
            return Interval.point(meanCycles).multiply(tail(x));
        }

        @Override
        public double sample(double v) {
            return -meanCycles * Math.log1p(-v);
        }

        /** Memoryless: x plus a fresh draw. */
        @Override
        public double sampleAbove(double x, double v) {
            return Math.max(0, x) + sample(v);
        }
    }

    /** One of {@code entries}' durations, each with its probability; the probabilities sum to 1. */
    record Table(List<Entry> entries) implements HandlerDuration {
        /** The tolerance on the sum of the probabilities a file gives (decimal fractions are not exact doubles). */
        public static final double SUM_TOLERANCE = 1e-9;

        public Table {
            entries = List.copyOf(entries);
            if (entries.isEmpty()) {
                throw new IllegalArgumentException("a table needs at least one entry");
            }
            Interval sum = Interval.ZERO;
            for (Entry e : entries) {
                sum = sum.add(Interval.point(e.probability()));
            }
            if (sum.hi() < 1 - SUM_TOLERANCE || sum.lo() > 1 + SUM_TOLERANCE) {
                throw new IllegalArgumentException("the probabilities of a table must sum to 1, not " + sum.mid());
            }
        }

        @Override
        public String kind() {
            return "table";
        }

        @Override
        public Interval tail(double d) {
            Interval sum = Interval.ZERO;
            for (Entry e : entries) {
                if (e.cycles() > d) {
                    sum = sum.add(Interval.point(e.probability()));
                }
            }
            return sum.asProbability();
        }

        @Override
        public Interval mean() {
            Interval sum = Interval.ZERO;
            for (Entry e : entries) {
                sum = sum.add(Interval.point(e.cycles()).multiply(Interval.point(e.probability())));
            }
            return sum;
        }

        @Override
        public Interval excess(double x) {
            Interval sum = Interval.ZERO;
            for (Entry e : entries) {
                if (e.cycles() > x) {
                    sum = sum.add(Interval.point(e.cycles()).subtract(Interval.point(x))
                            .multiply(Interval.point(e.probability())));
                }
            }
            return sum;
        }

        @Override
        public double sample(double v) {
            return sampleAbove(Double.NEGATIVE_INFINITY, v);
        }

        @Override
        public double sampleAbove(double x, double v) {
            double total = 0;
            for (Entry e : entries) {
                total += e.cycles() > x ? e.probability() : 0;
            }
            double left = v * total;
            Entry last = null;
            for (Entry e : entries) {
                if (e.cycles() > x) {
                    last = e;
                    left -= e.probability();
                    if (left < 0) {
                        return e.cycles();
                    }
                }
            }
            return last == null ? entries.get(entries.size() - 1).cycles() : last.cycles();
        }

        /** A duration of {@code cycles} with probability {@code probability}. */
        public record Entry(long cycles, double probability) {
            public Entry {
                if (cycles < 0 || !(probability >= 0 && probability <= 1)) {
                    throw new IllegalArgumentException("a table entry needs cycles >= 0 and a probability in [0, 1]");
                }
            }
        }
    }
}
