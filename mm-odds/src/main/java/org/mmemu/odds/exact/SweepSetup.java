package org.mmemu.odds.exact;

import org.mmemu.engine.CostTable;
import org.mmemu.engine.Program;
import org.mmemu.odds.TimingProfile;

/**
 * What the sweep computes for: the program and machine, and its budget. {@code offsetCpu} starts
 * at t; the footnote's chain is read off one interrupt on {@code releaser}.
 */
record SweepSetup(Program program, int cpus, CostTable costs, int offsetCpu, int releaser, TimingProfile profile,
        long deadlineNanos, long maxSteps, double tFrom, double tTo) {
    /** Over all offsets t. */
    SweepSetup(Program program, int cpus, CostTable costs, int offsetCpu, int releaser, TimingProfile profile,
            long deadlineNanos, long maxSteps) {
        this(program, cpus, costs, offsetCpu, releaser, profile, deadlineNanos, maxSteps, Double.NEGATIVE_INFINITY,
                Double.POSITIVE_INFINITY);
    }

    public SweepSetup {
        if (tFrom >= tTo || !Double.isInfinite(tFrom) && tFrom != Math.rint(tFrom)
                || !Double.isInfinite(tTo) && tTo != Math.rint(tTo)) {
            throw new IllegalArgumentException("a range of offsets has whole-cycle ends, the lower first");
        }
    }

    /**
     * The range of the start of {@code c} relative to the others, in the parametrization where c
     * starts at t: the offset range itself for the offset CPU, mirrored for another CPU.
     */
    double from(int c) {
        return c == offsetCpu ? tFrom : -tTo;
    }

    /** See {@link #from}. */
    double to(int c) {
        return c == offsetCpu ? tTo : -tFrom;
    }
}
