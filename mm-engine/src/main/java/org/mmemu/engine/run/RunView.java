package org.mmemu.engine.run;

import java.util.List;
import org.mmemu.core.emu.Access;
import org.mmemu.engine.InterruptSpec;
import org.mmemu.engine.StateKey;
import org.mmemu.engine.hb.Footprint;

/**
 * What a {@link Scheduler} sees of the run at a decision: each CPU's pending step, whether it
 * can go on, and which interrupts may arrive. Read-only; valid only during {@link Scheduler#next}.
 *
 * <p>{@link RunState} is its one implementation, so the JIT binds every call here statically
 * (class hierarchy analysis): the narrow view costs nothing on the hot path.
 */
public interface RunView {
    /** The number of CPUs. */
    int cpus();

    /** Whether CPU {@code c}'s program has returned. */
    boolean done(int c);

    /** Whether {@code c}'s pending step is an attempt to take a held spinlock. */
    boolean blocked(int c);

    /** Whether {@code c} can take its pending step now: not done, not blocked. */
    boolean enabled(int c);

    /** The object {@code c}'s pending step touches. */
    Object pendingTarget(int c);

    /** How {@code c}'s pending step touches its target. */
    Access pendingAccess(int c);

    /** The footprint of {@code c}'s pending step, made once per step however many decisions ask. */
    Footprint pendingFootprint(int c);

    /** The program's interrupts, indexed as {@link Action#irq()} and schedules name them. */
    List<InterruptSpec> interrupts();

    /** Whether interrupt {@code k} may arrive now: its CPU is running with irqs on, and it has arrivals left. */
    boolean canInterrupt(int k);

    /** The CPU of the last row, or -1 before the first. */
    int lastCpu();

    /**
     * For a CPU running a busy handler that the scheduler may end early: the handler steps it has
     * taken; -1 otherwise.
     */
    int endableHandlerSteps(int c);

    /** The longest length of the busy handler running on {@code c}. */
    int handlerMax(int c);

    /**
     * How many steps the busy handler running on {@code c} has after its pending one (the engine
     * takes them without resuming the CPU); 0 when none runs, or at its last step.
     */
    int busyStepsLeft(int c);

    /** Rows taken so far. */
    long rows();

    /** The CPU the model's default rule picks now (see {@code Schedule}), or -1 if none can go. */
    int defaultCpu();

    /**
     * The state key (state merging, {@link TraceKey}): what the CPUs and the memory have done and
     * the last CPU, with {@code schedulerState}, the delay model's own state, mixed in; null when
     * the run keeps no key (its scheduler did not ask) or when some of its future depends on
     * history the key does not hold (a livelock candidate's remembered state).
     */
    StateKey stateKey(long schedulerState);

    /** Whether interrupt {@code k} has arrived as often as its spec allows: it cannot arrive again. */
    boolean interruptsSpent(int k);
}
