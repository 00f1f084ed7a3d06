package org.mmemu.engine.search;

import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.mmemu.engine.ExploreOptions;
import org.mmemu.engine.RunResult;
import org.mmemu.engine.Schedule;
import org.mmemu.engine.delay.Chooser;

/**
 * A way of choosing schedules: {@code replay}, {@code random}, {@code pct}, {@code exhaustive}
 * (see {@link Policies} for the registry). A policy splits its search into independent units
 * of work in a fixed order (an execution index, a subtree of the search), which is what lets
 * {@link org.mmemu.engine.control.Explorer} run them on several threads or shard them across processes and still merge
 * to the same result. One instance serves one exploration.
 */
public interface SchedulePolicy {
    /** The registry name. */
    String name();

    /** One line for a person: what it does and where it comes from. */
    String origin();

    /** Plans the search (may run uncounted probe executions); returns the number of units. */
    int plan(Runner runner);

    /** Runs unit {@code unit}: its executions, each through {@link Runner#run}. Thread-safe across units. */
    void runUnit(int unit, Runner runner);

    /**
     * Runs units for one worker of the search until it has no more: those {@code next} hands out
     * (a unit number, or -1 when none is left for this worker), each with {@link #runUnit}. A policy
     * may also hand its workers parts of units others are running, once theirs are done.
     * {@code workers}: how many workers call this.
     */
    default void runUnits(IntSupplier next, int workers, Runner runner) {
        for (int u = next.getAsInt(); u >= 0 && !runner.stopping(); u = next.getAsInt()) {
            runUnit(u, runner);
        }
    }

    /** Whether running every unit to its end covers the bounded space completely. */
    boolean exhaustive();

    /**
     * Whether the preemption bound kept some option out of the search so far, so that a complete
     * search is complete only within that bound. Thread-safe.
     */
    default boolean boundCut() {
        return false;
    }

    /**
     * Takes over what the {@code earlier} round of a deepening search (the same search at a
     * smaller bound, run to its end) learned that still holds at this round's bound: for a
     * merging search, the states it explored, each with the budget it had left. Nothing by default.
     */
    default void continueFrom(SchedulePolicy earlier) {
    }

    /** States recorded by a merging search so far (0 for a policy that does not merge). Thread-safe. */
    default long distinctStates() {
        return 0;
    }

    /** Executions a merging search cut at a state already explored. Thread-safe. */
    default long merged() {
        return 0;
    }

    /** What a policy runs its executions with; implemented by {@link org.mmemu.engine.control.Explorer}. */
    interface Runner {
        /** The options of this exploration. */
        ExploreOptions options();

        /**
         * Runs one counted execution driven by {@code chooser}. {@code key} (asked after the run)
         * orders it among all executions of the search (lexicographically), so that "the first
         * finding" does not depend on threads or shards. Returns null, without running, when
         * the exploration is stopping (a bound was hit, or the first finding with stop-at-first).
         */
        RunResult run(Chooser chooser, Supplier<int[]> key);

        /** Runs one counted execution following {@code schedule}. */
        RunResult replay(Schedule schedule, int[] key);

        /** Runs an execution only to learn the shape of the search; not counted, not reported. */
        RunResult probe(Chooser chooser);

        /** Whether the exploration is stopping. */
        boolean stopping();
    }
}
