package org.mmemu.core.emu;

/**
 * What a step does to its target. Engines use it for partial-order reduction (two steps are
 * dependent when they touch the same target and at least one writes) and to know when a CPU
 * cannot go on (a {@link #LOCK} step on a held lock).
 */
public enum Access {
    /** A plain load of shared state ({@code page_count()}, {@code PageLRU()}). */
    READ,
    /** A store, atomic read-modify-write, bitop or list operation on shared state. */
    WRITE,
    /** An attempt to take the spinlock that is the target; enabled only while it is free. */
    LOCK,
    /** The release of the spinlock that is the target. */
    UNLOCK,
    /**
     * A step that touches only this CPU's own state (a test of a register, a compare, a call,
     * {@code cli}/{@code sti}). It costs a step, so that window sizes match the kernel's, and it
     * is a point where an interrupt may arrive, but it is independent of every other CPU.
     */
    LOCAL;

    /** Whether this access may change its target. */
    public boolean writes() {
        return this != READ && this != LOCAL;
    }
}
