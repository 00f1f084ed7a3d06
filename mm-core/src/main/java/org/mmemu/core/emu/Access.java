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

    /** The field of a step that names none: the whole target, dependent on every field of it. */
    public static final int WHOLE = 0;
    /** A page's {@code _count}. */
    public static final int COUNT = 1;
    /** A list entry's {@code next}/{@code prev} (a page's {@code lru} link, a list head). */
    public static final int LINK = 2;
    /** A page's {@code mapping}. */
    public static final int MAPPING = 3;
    /** A page's reverse mapping: {@code pte.chain} (or {@code pte.direct}) and its ptes' accessed bits. */
    public static final int PTE_CHAIN = 4;
    /** A page's {@code index}. */
    public static final int INDEX = 5;
    /** A page's {@code private} (its buffers). */
    public static final int PRIVATE = 6;
    /** Every flag bit of a page's {@code flags} at once: one load that tests several flags. */
    public static final int FLAGS = 7;
    private static final int FLAG_BASE = 8;

    /** Flag bit {@code bit} of a page's {@code flags}: atomic bitops on different bits commute. */
    public static int flag(int bit) {
        return FLAG_BASE + bit;
    }

    /** Whether {@code field} is one flag bit ({@link #flag}). */
    public static boolean isFlag(int field) {
        return field >= FLAG_BASE;
    }

    /** Whether steps on fields {@code a} and {@code b} of one target touch the same memory. */
    public static boolean sameField(int a, int b) {
        return a == WHOLE || b == WHOLE || a == b || (a == FLAGS && isFlag(b)) || (b == FLAGS && isFlag(a));
    }

    /**
     * Whether a write of field {@code written} orders every earlier access that overlaps field
     * {@code asked}, that is, whether {@code written} contains {@code asked}: the whole target
     * contains every field, {@link #FLAGS} every flag bit.
     */
    public static boolean contains(int written, int asked) {
        return written == WHOLE || written == asked || (written == FLAGS && isFlag(asked));
    }

    /** Whether this access may change its target. */
    public boolean writes() {
        return this != READ && this != LOCAL;
    }
}
