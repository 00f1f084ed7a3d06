package org.mmemu.bench;

import java.time.Duration;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.engine.CostTable;
import org.mmemu.engine.Estimate;
import org.mmemu.engine.control.TimedEngine;
import org.mmemu.report.html.ReportData.RateGrid;

/**
 * Benchmark 5: the timed engine's estimate of the double-free rate per release of the seed
 * race under a protocol, over a grid of interrupt rates (mean cycles between arrivals on the
 * releasing CPU) and mean handler durations (steps). Each cell is {@code runs} seeded runs of
 * {@link SeedRace}, one release each, so the rate per release is the share of runs that double
 * free; cell (i, j) is seeded from {@code seed + 1000 i + j}, so any cell can be rerun alone.
 *
 * <p><b>Where the release starts.</b> Under the timed engine a program is deterministic but for
 * its interrupts, and with both CPUs starting together the releaser is done long before
 * reclaim reaches the page. So each cell spreads its runs evenly over {@link #OFFSETS} start
 * offsets of the release ({@code 0, 20, ..., 380} CPU-local steps, one cycle each under the
 * default costs): the estimate is the double-free rate of a release that starts at a uniformly
 * random time within 400 cycles of reclaim's scan, a conditional rate, not a rate per release
 * of a whole workload.
 */
public final class TimedRates {
    /** Start offsets per cell. */
    public static final int OFFSETS = 20;
    /** CPU-local steps between two offsets. */
    public static final int OFFSET_STEP = 20;

    private TimedRates() {
    }

    /**
     * The grid the report pages show for mm1: interrupts every 100..3000 cycles on average,
     * lasting 300..10000 steps, 100 runs per cell (some seconds).
     */
    public static RateGrid demo() {
        return measure("mm1", new long[] {100, 300, 1_000, 3_000}, new int[] {300, 1_000, 3_000, 10_000}, 100, 42);
    }

    /** The grid for {@code protocol}; the cost table is the engine's default. */
    public static RateGrid measure(String protocol, long[] meanIntervals, int[] durations, int runs, long seed) {
        RateGrid.Cell[][] cells = new RateGrid.Cell[durations.length][meanIntervals.length];
        for (int i = 0; i < durations.length; i++) {
            for (int j = 0; j < meanIntervals.length; j++) {
                TimedEngine engine = new TimedEngine(CostTable.defaults(), meanIntervals[j], 20_000, Duration.ofSeconds(10));
                long hits = 0;
                int per = Math.max(1, runs / OFFSETS);
                for (int k = 0; k < OFFSETS; k++) {
                    Estimate e = engine.estimate(SeedRace.timed(protocol, durations[i], k * OFFSET_STEP),
                            FindingKind.DOUBLE_FREE, seed + 1000L * i + j + 1_000_000L * k, per, 1);
                    hits += e.hits();
                }
                Estimate all = Estimate.of((long) per * OFFSETS, hits, 1, seed + 1000L * i + j);
                cells[i][j] = new RateGrid.Cell(all.runs(), all.hits(), all.perOp(), all.low(), all.high());
            }
        }
        return new RateGrid("timed engine: double frees per release, " + protocol + " (seed " + seed + ", "
                + OFFSETS * Math.max(1, runs / OFFSETS) + " runs per cell, release start spread over 0.."
                + (OFFSETS - 1) * OFFSET_STEP + " local steps)", meanIntervals.clone(), durations.clone(), cells);
    }
}
