package org.mmemu.core.emu;

/**
 * The engine's side of a step. Every operation of emulated kernel code on shared state calls
 * {@link #step} just before it happens; the engine decides when the calling CPU may perform it.
 *
 * <p>The free engine returns at once (the real atomic or lock is the only cost). The controlled
 * and timed engines block the calling thread until their schedule lets that CPU go on, and may
 * run an interrupt handler on that CPU first. An engine may also end the run by throwing
 * {@link RunAborted} from here.
 */
@FunctionalInterface
public interface StepGate {
    /**
     * Called by {@code cpu} before the operation described by {@code site}, {@code target},
     * {@code field} and {@code access}. Returns when the CPU may perform it. This is the one
     * method a gate implements, so that a gate wrapping another cannot drop the field.
     *
     * @param target the shared object touched: a page, a list head, a lock, a zone, a counter;
     *               {@code null} or the CPU itself for {@link Access#LOCAL} steps
     * @param field  the part of {@code target} touched ({@link Access#sameField}): steps on
     *               different fields of one object commute, which partial-order reduction
     *               uses; engines that do not reduce ignore it
     */
    void step(Cpu cpu, Site site, Object target, int field, Access access);

    /** {@link #step(Cpu, Site, Object, int, Access)} on the whole target ({@link Access#WHOLE}). */
    default void step(Cpu cpu, Site site, Object target, Access access) {
        step(cpu, site, target, Access.WHOLE, access);
    }

    /** A gate that never waits: steps cost nothing beyond the operation itself. */
    StepGate FREE = (cpu, site, target, field, access) -> { };
}
