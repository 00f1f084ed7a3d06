package org.mmemu.odds;

/**
 * An importance-sampled Monte Carlo estimate of one kind's effective window with every interrupt
 * the profile sends, runs with two or more included ({@code mmemu odds --estimate N}; docs/ODDS.md,
 * "An estimate of the whole W"). A statistical estimate, not a bound: it says what the proven
 * interval's wide upper end most likely hides, and its part from runs with at most one interrupt
 * checks itself against the enumerated part, which is exact for those runs.
 *
 * @param kind         the finding's name
 * @param runs         the runs sampled
 * @param hits         the runs that found it
 * @param windowCycles the estimate of ∫ P(finding | t) dt over [tFrom, tTo), in cycles
 * @param stdError     its standard error
 * @param atMostOne    the estimate of the part from runs with at most one interrupt
 * @param atMostOneStdError its standard error
 * @param tFrom        the lowest offset sampled
 * @param tTo          the highest offset sampled (the estimate is of W over [tFrom, tTo) only)
 */
public record SampledWindow(String kind, long runs, long hits, double windowCycles, double stdError, double atMostOne,
        double atMostOneStdError, double tFrom, double tTo) {
    /** z of a two-sided 99.9% normal interval. */
    public static final double Z = 3.2905;

    /** The estimate's 99.9% normal interval, its lower end at least 0. */
    public double[] interval() {
        return new double[] {Math.max(0, windowCycles - Z * stdError), windowCycles + Z * stdError};
    }
}
