package org.mmemu.engine.run;

import org.mmemu.core.emu.RunAborted;

/**
 * The coroutine driver of one execution: runs the CPUs' continuations ({@link Coroutine}) on
 * the calling thread, one at a time, the one whose turn it is. A CPU hands the turn over with
 * {@link #pass} and waits for it in {@link #awaitTurn}, which yields back to the loop of
 * {@link #runToEnd}; the loop then mounts the continuation of whoever has the turn.
 *
 * <p><b>Start.</b> The driver runs CPU 0 up to its first step, which hands the turn to CPU 1,
 * and so on, so that code before the first step runs in CPU order; the last CPU makes the first
 * decision.
 *
 * <p><b>End.</b> The run ends when every CPU is done, or when a finding, a deadlock, a bound or
 * partial-order reduction ends it. In the latter cases the CPU that ends it sets
 * {@link #end ended}; the driver then resumes every live continuation once more, and each, inside
 * its gate, unwinds its kernel code by throwing {@link Unwind}, a {@link RunAborted} that
 * mirrors never catch. {@link #runToEnd} returns only when every continuation has ended, so nothing
 * outlives its execution.
 */
final class Driver {
    /** Unwinds a CPU's kernel code when the run has ended elsewhere. */
    static final class Unwind extends RunAborted {
        Unwind() {
            super(null);
        }
    }

    private final Slot[] slots;
    /** The CPU whose continuation the driver runs next. */
    private int turn;
    private boolean ended;

    Driver(Slot[] slots) {
        this.slots = slots;
    }

    /** Runs the continuations until the run has ended, then unwinds every one still alive. */
    void runToEnd() {
        try {
            while (!ended) {
                slots[turn].coroutine.run();
            }
        } finally {
            unwind();
        }
    }

    /** Gives the turn to CPU {@code to}; the caller then yields (or returns to the loop). */
    void pass(int to) {
        turn = to;
    }

    /** Yields until the driver resumes this CPU with its turn, or the run has ended. */
    void awaitTurn(Slot s) {
        int id = s.cpu.id();
        while (turn != id && !ended) {
            Coroutine.yield();
        }
        if (ended) {
            throw new Unwind();
        }
    }

    /** Ends the run: the loop stops, and every CPU still in its code will unwind. */
    void end() {
        ended = true;
    }

    boolean ended() {
        return ended;
    }

    /**
     * Once the run has ended: resumes every continuation that has not ended so that it unwinds
     * (or, never started, starts and unwinds at once), leaving nothing alive.
     */
    private void unwind() {
        ended = true;
        for (Slot s : slots) {
            while (!s.coroutine.done()) {
                s.coroutine.run();
            }
        }
    }

    /** Whether every CPU's continuation has ended. */
    boolean quiescent() {
        for (Slot s : slots) {
            if (!s.coroutine.done()) {
                return false;
            }
        }
        return true;
    }
}
