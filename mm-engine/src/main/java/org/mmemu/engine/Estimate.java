package org.mmemu.engine;

/**
 * How often a finding occurs, estimated over many seeded runs of the timed engine, with a
 * Wilson score interval (Wilson, JASA 22(158), 1927), which stays meaningful when the count is
 * 0 or close to the number of runs, unlike the normal approximation.
 *
 * @param runs      seeded runs made
 * @param hits      runs with at least one finding of the kind asked for
 * @param opsPerRun operations each run performs (e.g. page releases), to give a rate per operation
 * @param perOp     the estimated rate per operation: hits / runs / opsPerRun
 * @param low       lower end of the interval, per operation
 * @param high      upper end of the interval, per operation
 * @param z         the interval's z (1.96 for 95%)
 * @param seed      the seed of the first run; run i is seeded from (seed, i)
 */
public record Estimate(long runs, long hits, long opsPerRun, double perOp, double low, double high, double z,
                       long seed) {

    /** The estimate of {@code hits} in {@code runs}, at 95% confidence. */
    public static Estimate of(long runs, long hits, long opsPerRun, long seed) {
        double z = 1.96;
        double n = runs;
        double p = runs == 0 ? 0 : hits / n;
        double denom = 1 + z * z / n;
        double centre = (p + z * z / (2 * n)) / denom;
        double half = z * Math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom;
        double lo = runs == 0 ? 0 : Math.max(0, centre - half);
        double hi = runs == 0 ? 1 : Math.min(1, centre + half);
        return new Estimate(runs, hits, opsPerRun, p / opsPerRun, lo / opsPerRun, hi / opsPerRun, z, seed);
    }

    @Override
    public String toString() {
        return String.format("%d/%d runs (%d ops each): %.3g per op, 95%% CI [%.3g, %.3g], seed %d",
                hits, runs, opsPerRun, perOp, low, high, seed);
    }
}
