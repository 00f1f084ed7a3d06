package org.mmemu.core.emu;

/**
 * What a step does to its target. Engines use it for partial-order reduction (two steps are
 * dependent when they touch the same target and at least one writes) and to know when a CPU
 * cannot go on (a {@link #LOCK} step on a held lock).
 *
 * <p><b>Plain or atomic.</b> Whether a {@link #WRITE} is a locked instruction or a plain store
 * is a property of the field it writes, as it is of a C type: every write of an
 * {@code atomic_t} ({@link #COUNT}, {@link #atomicMember}) is an atomic op, every write of one
 * flag bit ({@link #flag}) is an atomic bitop ({@code set_bit}, {@code test_and_clear_bit}),
 * and everything else is plain: a store of the whole flags word ({@link #FLAGS},
 * {@code page->flags &= ~x} after its load), a counter ({@code zone->nr_inactive}), a list
 * link. {@link #isAtomic} says which; the data-race detector reads it (docs/ARCHITECTURE.md §4).
 * A non-atomic read-modify-write is a {@link #READ} step and a {@link #WRITE} step.
 */
public enum Access {
    /** A plain load of shared state ({@code page_count()}, {@code PageLRU()}). */
    READ,
    /**
     * A store, atomic read-modify-write, bitop or list operation on shared state; atomic or
     * plain by its field ({@link #isAtomic}).
     */
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
    /** The first field of {@link #member}: after the 32 bits of a flags word. */
    private static final int MEMBER_BASE = FLAG_BASE + 32;
    /** The named members, index {@code field - MEMBER_BASE}: name and whether it is an atomic_t. */
    private static final java.util.List<String> MEMBERS = new java.util.concurrent.CopyOnWriteArrayList<>();
    private static final java.util.Set<Integer> ATOMIC_MEMBERS = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Flag bit {@code bit} of a page's {@code flags}: atomic bitops on different bits commute. */
    public static int flag(int bit) {
        return FLAG_BASE + bit;
    }

    /** Whether {@code field} is one flag bit ({@link #flag}). */
    public static boolean isFlag(int field) {
        return field >= FLAG_BASE && field < MEMBER_BASE;
    }

    /**
     * A field of its own for the member {@code name} of a structure ({@code "zone->nr_inactive"}),
     * worked by plain loads and stores: steps on two members of one target commute. The same
     * name gives the same field. Kept as a {@code static final} beside the structure's mirror.
     */
    public static int member(String name) {
        return memberField(name, false);
    }

    /**
     * {@link #member} for an {@code atomic_t} ({@code "zone->refill_counter"}): every write of
     * it is an atomic op ({@link #isAtomic}).
     */
    public static int atomicMember(String name) {
        return memberField(name, true);
    }

    private static synchronized int memberField(String name, boolean atomic) {
        int k = MEMBERS.indexOf(name);
        if (k < 0) {
            MEMBERS.add(name);
            k = MEMBERS.size() - 1;
        }
        if (atomic) {
            ATOMIC_MEMBERS.add(MEMBER_BASE + k);
        }
        return MEMBER_BASE + k;
    }

    /**
     * Whether every write of {@code field} is an atomic instruction: a page's count (an
     * {@code atomic_t}), one flag bit (a bitop), an {@link #atomicMember}. A write of any other
     * field is a plain store.
     */
    public static boolean isAtomic(int field) {
        return field == COUNT || isFlag(field) || ATOMIC_MEMBERS.contains(field);
    }

    /** The field as a report names it: {@code count}, {@code flags}, {@code flags bit 5}, a member's name. */
    public static String fieldName(int field) {
        return switch (field) {
            case WHOLE -> "";
            case COUNT -> "count";
            case LINK -> "lru";
            case MAPPING -> "mapping";
            case PTE_CHAIN -> "pte.chain";
            case INDEX -> "index";
            case PRIVATE -> "private";
            case FLAGS -> "flags";
            default -> isFlag(field) ? "flags bit " + (field - FLAG_BASE) : MEMBERS.get(field - MEMBER_BASE);
        };
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
