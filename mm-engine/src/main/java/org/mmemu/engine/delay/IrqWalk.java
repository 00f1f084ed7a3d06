package org.mmemu.engine.delay;

import java.util.SplittableRandom;

/**
 * One sampled execution of the {@code irq} model: the model proposes, the policy chooses.
 *
 * <p>In lock-step the only choices are which CPU leads, each CPU's start offset, the turns at
 * which an interrupt arrives and the turns at which a CPU slips. This walk is the model's part:
 * it lets each CPU wait out its drawn offset, counts the turns, and at a turn where an arrival
 * or a slip is due takes one of the options of that kind the model offers there, drawn
 * uniformly (a duration class, a slip's length). The policy's part is given to it: who leads
 * ({@link Leader}), at which of a CPU's interruptible turns an interrupt arrives
 * ({@link Arrivals}), and the drawn offsets and slip turns. {@code pct} and {@code pos} differ
 * only there (priorities against uniform draws), so both run this one walk.
 */
public final class IrqWalk implements Chooser {
    /** How the policy picks the CPU that leads, at the model's first decision. */
    @FunctionalInterface
    public interface Leader {
        int choose(Decision d);
    }

    /**
     * Whether an interrupt arrives at this turn of {@code cpu}, one at which one can: asked once
     * per such turn, in the order of the run, so an implementation may count them.
     */
    @FunctionalInterface
    public interface Arrivals {
        boolean now(int cpu);
    }

    private final SplittableRandom rng;
    private final int[] waits;
    private final long[] slipAt;
    private final Leader leader;
    private final Arrivals arrivals;
    private long turn;

    /**
     * @param rng      draws the option of a kind at a turn where one is due
     * @param waits    each CPU's start offset, in its turns ({@link IrqDraws#offsets})
     * @param slipAt   the turns (counted among those that offer a choice) at which a slip is due
     * @param leader   who leads
     * @param arrivals where interrupts arrive
     */
    public IrqWalk(SplittableRandom rng, int[] waits, long[] slipAt, Leader leader, Arrivals arrivals) {
        this.rng = rng;
        this.waits = waits;
        this.slipAt = slipAt;
        this.leader = leader;
        this.arrivals = arrivals;
    }

    @Override
    public int choose(Decision d) {
        if (IrqDraws.leader(d)) {
            return leader.choose(d);
        }
        int wait = IrqDraws.startOrWait(d, waits);
        if (wait != 0) {
            return wait;
        }
        turn++;
        if (IrqDraws.first(d, Option.Kind.IRQ) >= 0 && arrivals.now(d.options().get(0).cpu())) {
            return IrqDraws.ofKind(rng, d, Option.Kind.IRQ);
        }
        for (long s : slipAt) {
            if (s == turn && IrqDraws.first(d, Option.Kind.SLIP) >= 0) {
                return IrqDraws.ofKind(rng, d, Option.Kind.SLIP);
            }
        }
        return 0;
    }
}
