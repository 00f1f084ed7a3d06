package org.mmemu.tests.bench;

import java.time.Duration;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.core.engine.CostTable;
import org.mmemu.core.engine.Estimate;
import org.mmemu.core.engine.TimedEngine;
import org.mmemu.tests.html.ReportData.RateGrid;

/**
 * Benchmark 5: the timed engine's estimate of the double-free rate per release of the seed
 * race under a protocol, over a grid of interrupt rates (mean cycles between arrivals on the
 * releasing CPU) and mean handler durations (steps). Each cell is {@code runs} seeded runs of
 * {@link SeedRace}, one release each, so the rate per release is the share of runs that double
 * free; cell (i, j) is seeded from {@code seed + 1000 i + j} and prints that seed, so any cell
 * can be rerun alone.
 */
public final class TimedRates {
    private TimedRates() {
    }

    /** The grid for {@code protocol}; the cost table is the engine's default. */
    public static RateGrid measure(String protocol, long[] meanIntervals, int[] durations, int runs, long seed) {
        RateGrid.Cell[][] cells = new RateGrid.Cell[durations.length][meanIntervals.length];
        for (int i = 0; i < durations.length; i++) {
            for (int j = 0; j < meanIntervals.length; j++) {
                TimedEngine engine = new TimedEngine(CostTable.defaults(), meanIntervals[j], 20_000, Duration.ofSeconds(10));
                Estimate e = engine.estimate(new SeedRace(protocol, durations[i], 1_000), FindingKind.DOUBLE_FREE,
                        seed + 1000L * i + j, runs, 1);
                cells[i][j] = new RateGrid.Cell(e.runs(), e.hits(), e.perOp(), e.low(), e.high());
            }
        }
        return new RateGrid("timed engine: double frees per release, " + protocol + " (seed " + seed + ", "
                + runs + " runs per cell)", meanIntervals.clone(), durations.clone(), cells);
    }
}
