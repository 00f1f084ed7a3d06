package org.mmemu.engine.search;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * The decision tree of a stateless search, shared by {@code exhaustive} and {@code dpor}: the
 * decision points of the last execution, root first, each with what the next executions need
 * to go on from it (after loom's {@code src/rt/path.rs}). Every execution replays a prefix of
 * this path and extends it; {@link #backtrack} then moves to the next path.
 *
 * <p>A node keeps no object of its execution's machine, only numbers: so an execution's
 * objects die with it, and identities (CPUs, interrupts) stay comparable across executions.
 * The policies differ in which option they take next at a node ({@code exhaustive}: the next
 * one in order; {@code dpor}: the next one of its backtrack set) and in how they fill the sleep
 * and backtrack sets; they share the node, the path and the backtracking.
 */
final class DecisionTree {
    /** A decision point of the last execution. */
    static final class Node {
        /**
         * Per option, the identity that sleep and backtrack sets hold (a bit number below 64:
         * a CPU's step, or for {@code dpor} an interrupt's arrival); -1 for an option no set holds.
         */
        final int[] ids;
        /** Per option, what it takes from the preemption bound. */
        final int[] cost;
        /** The sleep set on arrival, as bits of {@link #ids}. */
        final long sleepIn;
        /** The preemption bound spent on the way here. */
        final int costIn;
        /** Per option, the turns a slip option misses (0 for the others). */
        int[] slip;
        /**
         * What each slip here would move its step past, as the run that created the node and
         * took its step at once saw it ({@link org.mmemu.engine.delay.SlipWindow}); null if none.
         */
        org.mmemu.engine.delay.SlipWindow window;
        /** The option the current path takes here. */
        int chosen;
        /** Options from here on were given to another worker ({@link SplitQueue}); none by default. */
        int limit = Integer.MAX_VALUE;
        /** Options still to be explored here, and those explored ({@code dpor}). */
        long backtrack;
        long done;

        Node(int[] ids, int[] cost, long sleepIn, int costIn) {
            this.ids = ids;
            this.cost = cost;
            this.sleepIn = sleepIn;
            this.costIn = costIn;
        }

        int options() {
            return ids.length;
        }

        /** Whether option {@code i} is in the sleep set: covered by an execution explored already. */
        boolean asleep(int i) {
            return ids[i] >= 0 && (sleepIn & (1L << ids[i])) != 0;
        }

        /** Whether taking option {@code i} keeps the path within {@code bound} (negative: none). */
        boolean withinBound(int i, int bound) {
            return bound < 0 || costIn + cost[i] <= bound;
        }

        /** Takes option {@code i} on the current path, and marks it explored. */
        void take(int i) {
            chosen = i;
            if (ids[i] >= 0) {
                backtrack |= 1L << ids[i];
                done |= 1L << ids[i];
            }
        }
    }

    private final List<Node> path = new ArrayList<>();

    /** The number of decision points on the current path. */
    int depth() {
        return path.size();
    }

    Node at(int depth) {
        return path.get(depth);
    }

    /** Extends the current path by a new decision point. */
    void push(Node n) {
        path.add(n);
    }

    /** The option indices of the current path: its position in the depth-first order. */
    int[] choices() {
        int[] p = new int[path.size()];
        for (int i = 0; i < p.length; i++) {
            p[i] = path.get(i).chosen;
        }
        return p;
    }

    /**
     * Moves to the next path: at the deepest decision point below {@code floor} where
     * {@code next} finds an option (its index, or -1 for none), takes it, and cuts the path
     * there. Returns that depth, or -1 when no point at or above {@code floor} has an option
     * left (the search, or the unit, is done).
     */
    int backtrack(int floor, ToIntFunction<Node> next) {
        while (path.size() > floor) {
            Node top = path.get(path.size() - 1);
            int i = next.applyAsInt(top);
            if (i >= 0) {
                top.take(i);
                return path.size() - 1;
            }
            path.remove(path.size() - 1);
        }
        return -1;
    }
}
