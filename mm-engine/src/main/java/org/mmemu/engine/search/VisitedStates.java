package org.mmemu.engine.search;

import org.mmemu.engine.StateKey;

/**
 * The states a merging search has explored, shared by all its threads (docs/ARCHITECTURE.md §3,
 * "State merging"). A path that reaches a state seen before is cut when the earlier visit had
 * no less of the bounds left: no more of the preemption bound spent, no more rows taken against
 * max-steps. Whatever the later path could still do, the earlier one could, so its subtree
 * (explored, or being explored by whichever thread got there first) covers it.
 *
 * <p>Where neither visit dominates (more preemptions left but fewer rows, or the reverse), the
 * later path goes on and the first visit's budget is kept: sound, and rare, since rows differ
 * only by spins and waits.
 *
 * <p>Mechanism: a search records a state at every new decision point, hundreds of thousands of
 * them, so the set is an open-addressing table of three longs per state (the key's two halves and
 * the budget) in 64 stripes, each under its own lock: one or two cache lines per visit, no
 * object per state (a {@code ConcurrentHashMap} of records was a fifth of the search's time).
 */
final class VisitedStates {
    private static final int STRIPES = 64;
    private final Stripe[] stripes = new Stripe[STRIPES];

    VisitedStates() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Stripe();
        }
    }

    /**
     * Records a visit of {@code key} with {@code cost} of the preemption budget spent (as the
     * policy measures it: less spent, more left) and {@code rows} taken; false when an earlier
     * visit dominates it (the path is to be cut).
     */
    boolean visit(StateKey key, int cost, long rows) {
        long budget = ((long) cost << 48) | rows;
        Stripe s = stripes[(int) (key.lo() >>> 58)];
        synchronized (s) {
            return s.visit(key.hi(), key.lo(), budget);
        }
    }

    long distinct() {
        long n = 0;
        for (Stripe s : stripes) {
            synchronized (s) {
                n += s.size;
            }
        }
        return n;
    }

    private static boolean dominates(long a, long b) {
        return (a >>> 48) <= (b >>> 48) && (a & 0xFFFF_FFFF_FFFFL) <= (b & 0xFFFF_FFFF_FFFFL);
    }

    /** One stripe: linear probing over {hi, lo, budget} triples; an all-zero key marks a free slot. */
    private static final class Stripe {
        private long[] slots = new long[3 * 256];
        private int size;

        boolean visit(long hi, long lo, long budget) {
            if (hi == 0 && lo == 0) {
                hi = 1; // the one key that would read as a free slot, folded onto a neighbour
            }
            int cap = slots.length / 3;
            for (int i = (int) (mixIndex(hi) & (cap - 1)); ; i = (i + 1) & (cap - 1)) {
                int at = 3 * i;
                if (slots[at] == 0 && slots[at + 1] == 0) {
                    slots[at] = hi;
                    slots[at + 1] = lo;
                    slots[at + 2] = budget;
                    if (++size * 4 > cap * 3) {
                        grow();
                    }
                    return true;
                }
                if (slots[at] == hi && slots[at + 1] == lo) {
                    long old = slots[at + 2];
                    if (dominates(old, budget)) {
                        return false;
                    }
                    if (dominates(budget, old)) {
                        slots[at + 2] = budget;
                    }
                    return true;
                }
            }
        }

        private void grow() {
            long[] old = slots;
            slots = new long[old.length * 2];
            size = 0;
            for (int at = 0; at < old.length; at += 3) {
                if (old[at] != 0 || old[at + 1] != 0) {
                    visit(old[at], old[at + 1], old[at + 2]);
                }
            }
        }

        private static long mixIndex(long z) {
            z = (z ^ (z >>> 33)) * 0xFF51AFD7ED558CCDL;
            return z ^ (z >>> 33);
        }
    }
}
