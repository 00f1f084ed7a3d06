package org.mmemu.engine.delay;

import org.mmemu.engine.hb.Footprint;

/**
 * What a slip at one decision of the {@code irq} model would move its step past, as the run that
 * took the step at once saw it: the other CPUs' rows of the next {@code K} of its CPU's turns
 * (the skew). When the step commutes with every one of the first {@code s} turns' rows, a slip of
 * {@code s} there reaches only states that a slip of {@code s} at the CPU's next shared step
 * reaches, at the same cost, so the search need not try it (docs/ARCHITECTURE.md §3, "Slips only
 * where order can change").
 *
 * <p>Filled in by the run that made the decision, turn by turn ({@link SlipWindows}); read by the
 * policy when it backtracks to the decision, long after that run ended. It holds no object of the
 * run: the verdicts are plain booleans.
 */
public final class SlipWindow {
    final int cpu;
    final Footprint step;
    /** Whether the rows seen so far include one dependent on {@link #step}. */
    boolean dependent;
    /** The CPU's turns since the decision; the window of a slip of {@code s} closes at its {@code s}th. */
    int turns;
    /** Per slip length: known redundant (a closed window with no dependent row). */
    private final boolean[] redundant;

    SlipWindow(int cpu, Footprint step, int skew) {
        this.cpu = cpu;
        this.step = step;
        this.redundant = new boolean[skew + 1];
    }

    /** Whether a slip of {@code s} turns at this decision need not be explored. */
    public boolean redundant(int s) {
        return s > 0 && s < redundant.length && redundant[s];
    }

    /** The CPU's next turn has come: the window of a slip of that many turns closes. */
    void turn() {
        turns++;
        if (turns < redundant.length) {
            redundant[turns] = !dependent;
        }
    }

    boolean closed() {
        return turns >= redundant.length - 1;
    }
}
