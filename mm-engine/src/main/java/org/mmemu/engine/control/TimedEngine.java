package org.mmemu.engine.control;

import java.time.Duration;
import org.mmemu.core.emu.FindingKind;
import org.mmemu.engine.CostTable;
import org.mmemu.engine.DelayModel;
import org.mmemu.engine.Estimate;
import org.mmemu.engine.Program;
import org.mmemu.engine.RunResult;
import org.mmemu.engine.delay.TimedScheduler;
import org.mmemu.engine.run.Execution;
import org.mmemu.engine.search.RandomPolicy;

/**
 * The timed engine: the controlled engine plus a virtual clock per CPU (docs/ARCHITECTURE.md §3). Each step
 * costs cycles by its kind ({@link CostTable}), the CPU with the smallest clock goes next, and
 * interrupts arrive by a seeded random process only where irqs are on, each running its handler
 * for a drawn duration. This is where "the interrupt takes longer than the runtime of
 * shrink_list" becomes a measurable probability rather than an adversary's choice.
 *
 * <p>A timed run is determined by (program, costs, interrupt rate, seed), and records a
 * schedule in the {@code any} model that {@link Explorer#replay} reproduces without the clocks.
 */
public final class TimedEngine {
    private final CostTable costs;
    private final double meanCyclesBetweenIrqs;
    private final long maxSteps;
    private final Duration timeLimit;

    /**
     * @param costs                 the cost table
     * @param meanCyclesBetweenIrqs mean time between arrivals of each interrupt spec, in cycles of its CPU
     * @param maxSteps              the most rows one run may take
     * @param timeLimit             wall time per run
     */
    public TimedEngine(CostTable costs, double meanCyclesBetweenIrqs, long maxSteps, Duration timeLimit) {
        if (meanCyclesBetweenIrqs <= 0) {
            throw new IllegalArgumentException("the mean time between interrupts must be positive");
        }
        this.costs = costs;
        this.meanCyclesBetweenIrqs = meanCyclesBetweenIrqs;
        this.maxSteps = maxSteps;
        this.timeLimit = timeLimit;
    }

    /** Default costs, an interrupt every 10 000 cycles on average, 10 000 steps, 10 s. */
    public static TimedEngine defaults() {
        return new TimedEngine(CostTable.defaults(), 10_000, 10_000, Duration.ofSeconds(10));
    }

    /** One run seeded with {@code seed}, with its trace. */
    public RunResult run(Program program, long seed) {
        return run(program, seed, true);
    }

    private RunResult run(Program program, long seed, boolean trace) {
        TimedScheduler s = new TimedScheduler(costs, meanCyclesBetweenIrqs, seed);
        return new Execution(program, DelayModel.ANYWHERE, s, maxSteps, System.nanoTime() + timeLimit.toNanos(),
                trace, s).run();
    }

    /**
     * Estimates how often {@code kind} (any kind when null) occurs per operation, over
     * {@code runs} runs seeded from {@code seed}, each performing {@code opsPerRun} operations.
     * A run ends at its first stopping finding, so this counts runs with at least one; the rate
     * per operation is exact only when findings are rare, which is the case it is for.
     */
    public Estimate estimate(Program program, FindingKind kind, long seed, int runs, int opsPerRun) {
        long hits = 0;
        for (int i = 0; i < runs; i++) {
            RunResult r = run(program, RandomPolicy.seedOf(seed, i), false);
            if (r.findings().stream().anyMatch(f -> kind == null || f.kind() == kind)) {
                hits++;
            }
        }
        return Estimate.of(runs, hits, opsPerRun, seed);
    }
}
