package org.mmemu.oracle;

import java.util.Map;
import java.util.SortedSet;

/**
 * What Fray saw on one pair within its budget.
 *
 * @param scheduler      Fray's scheduler ({@code pos}, {@code pct})
 * @param seed           the seed of its random choices
 * @param kinds          the finding kinds met (mmemu's ids; refcount-from-zero warnings included)
 * @param firstIteration per kind, the iteration (from 1) that first met it
 * @param replay         per kind, the folder of Fray's recording of that iteration (replayable with
 *                       Fray's {@code ReplayScheduler} or {@code FrayInTestLauncher.launchFrayReplay})
 * @param iterations     iterations run
 * @param stepBoundRuns  iterations cut by Fray's step bound (a CPU still spinning: livelock or a
 *                       spin on a lock nobody releases); they prove nothing either way
 * @param millis         wall time
 */
record FrayVerdict(String scheduler, long seed, SortedSet<String> kinds, Map<String, Integer> firstIteration,
                   Map<String, String> replay, int iterations, int stepBoundRuns, long millis) {

    /** Whether {@code kind} was met within the first {@code n} iterations. */
    boolean foundWithin(String kind, int n) {
        Integer at = firstIteration.get(kind);
        return at != null && at <= n;
    }
}
