package org.mmemu.engine.search;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.mmemu.engine.delay.StateKey;

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
 */
final class VisitedStates {
    private final ConcurrentHashMap<StateKey, Long> seen = new ConcurrentHashMap<>();
    private final LongAdder merged = new LongAdder();

    /**
     * Records a visit of {@code key} with {@code cost} of the preemption bound spent and
     * {@code rows} taken; false when an earlier visit dominates it (the path is to be cut).
     */
    boolean visit(StateKey key, int cost, long rows) {
        long mine = ((long) cost << 48) | rows;
        boolean[] fresh = {true};
        seen.merge(key, mine, (old, now) -> {
            if (dominates(old, now)) {
                fresh[0] = false;
                return old;
            }
            return dominates(now, old) ? now : old;
        });
        if (!fresh[0]) {
            merged.increment();
        }
        return fresh[0];
    }

    private static boolean dominates(long a, long b) {
        return (a >>> 48) <= (b >>> 48) && (a & 0xFFFF_FFFF_FFFFL) <= (b & 0xFFFF_FFFF_FFFFL);
    }

    long distinct() {
        return seen.size();
    }

    long merged() {
        return merged.sum();
    }
}
