package org.mmemu.engine;

import java.util.Collection;
import java.util.EnumSet;
import java.util.Set;
import org.mmemu.core.emu.FindingKind;

/**
 * When an exploration has answered its caller's question, as a predicate over the kinds of
 * finding met so far: the explorer asks it after every execution and stops once it says yes.
 * Stopping is not covering: a result that stopped here is not {@link ExploreResult#complete()},
 * but it has {@link ExploreResult#decided()} what it was asked.
 */
@FunctionalInterface
public interface StopRule {
    /** Whether the kinds {@code found} so far settle the question. */
    boolean decided(Set<FindingKind> found);

    /**
     * {@link #cover()}: the one instance, so that the explorer can tell it from {@link #never()}.
     */
    StopRule COVER = found -> false;

    /** Never stop early: cover the space (or hit a bound), collecting every distinct finding. */
    static StopRule never() {
        return found -> false;
    }

    /**
     * Never stop early, and want no finding before another ({@code explore --keep-going}): what
     * is asked is the whole space's findings, so an exhaustive search need not deepen its bound
     * from 0 to meet the cheapest first ({@code Explorer#explore}). {@link #never()} keeps the
     * deepening, for callers that show the first finding (compare, demo, run).
     */
    static StopRule cover() {
        return COVER;
    }

    /** Stop at the first finding of any kind. */
    static StopRule firstFinding() {
        return found -> !found.isEmpty();
    }

    /**
     * The verdict on an expectation ({@code expect:} of a scenario): with kinds expected, every
     * one of them has been found (others met on the way are reported with them); with none
     * expected, nothing may occur, so the first finding of any kind settles it.
     */
    static StopRule expecting(Collection<FindingKind> expect) {
        if (expect.isEmpty()) {
            return firstFinding();
        }
        Set<FindingKind> wanted = EnumSet.copyOf(expect);
        return found -> found.containsAll(wanted);
    }
}
