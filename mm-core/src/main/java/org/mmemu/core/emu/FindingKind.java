package org.mmemu.core.emu;

/**
 * The kinds of finding, with the names the scenario files, the JSON output and the command line
 * use. Whether a kind ends the run by default is part of its meaning: after a double free the
 * buddy lists are corrupt and nothing further is worth reporting, while a use of a free page is
 * usually the prelude to the finding that matters.
 */
public enum FindingKind {
    DOUBLE_FREE("double-free", true),
    /** A plain get that took a count from 0 to 1: the seed mail's "we die" moment. */
    REFCOUNT_FROM_ZERO("refcount-from-zero", false),
    USE_AFTER_FREE("use-after-free", false),
    /** Freeing a page that is still in use: PG_lru set, nonzero count, or linked on a list. */
    BAD_PAGE("bad-page", true),
    LEAK("leak", false),
    LIST_CORRUPTION("list-corruption", true),
    LOCK_MISUSE("lock-misuse", true),
    DEADLOCK("deadlock", true),
    /**
     * CPUs keep taking steps and nothing changes: one CPU repeats the same steps over the same
     * state (a loop under a lock while the others spin on it, or a loop alone) and every other
     * CPU is done or spinning. Reported instead of running into the step bound.
     */
    LIVELOCK("livelock", true),
    /** One of the emulated kernel's own BUG()/BUG_ON() checks fired. */
    KERNEL_BUG("kernel-bug", true),
    /**
     * A lock left held: a page freed with {@code PG_locked} set (what 2.6's {@code bad_page()}
     * and 2.5's {@code BUG_ON(PageLocked(page))} in {@code __free_pages_ok()} catch, reported by
     * the shadow before them), or a spinlock or page lock still held when the program (or the
     * interrupt handler) that took it ends.
     */
    LOCK_LEAK("lock-leak", false),
    /**
     * A counter that disagrees with what it counts (docs/ARCHITECTURE.md §4): at a quiescent
     * point, or while the lock that guards it is free and no CPU is between its paired updates.
     */
    ACCOUNTING("accounting", false),
    /**
     * KCSAN's data race: two conflicting accesses to one field, at least one a plain write, not
     * ordered by happens-before (docs/ARCHITECTURE.md §4). Reported, like KCSAN, without
     * ending the run.
     */
    DATA_RACE("data-race", false);

    private final String id;
    private final boolean stopsRun;

    FindingKind(String id, boolean stopsRun) {
        this.id = id;
        this.stopsRun = stopsRun;
    }

    /** The name used in files and output, e.g. {@code double-free}. */
    public String id() {
        return id;
    }

    /** Whether a finding of this kind ends the run unless configured otherwise. */
    public boolean stopsRunByDefault() {
        return stopsRun;
    }

    /** The kind named {@code id}, e.g. {@code double-free}. */
    public static FindingKind byId(String id) {
        for (FindingKind k : values()) {
            if (k.id.equals(id)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown finding kind '" + id + "'");
    }

    @Override
    public String toString() {
        return id;
    }
}
