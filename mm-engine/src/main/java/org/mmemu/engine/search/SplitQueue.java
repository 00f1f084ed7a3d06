package org.mmemu.engine.search;

import java.util.ArrayDeque;
import java.util.List;

/**
 * Subtrees split off running units for the workers of one search that have run out of units.
 *
 * <p>Why. The units of a search are fixed before it runs ({@link SchedulePolicy#plan}), and their
 * sizes are unknown: a round of the footnote searches ended with one large unit running on one
 * core for a third of the search while the other had nothing to do. So a worker that runs out
 * says so ({@link #wanted}, one volatile read per execution for the others), and the next worker
 * to finish an execution gives away the untried options of the shallowest decision of its unit
 * that has any, each as a unit of its own with that path as its fixed prefix. The units still
 * partition the tree, so the search covers the same space whatever the threads do: without
 * merging it runs the same executions; with merging, which executions a visited state cuts
 * depends on which thread reached it first, as it did with the planned units alone, while the
 * verdict, the finding classes and the coverage do not.
 *
 * <p>The search ends when every worker waits here with nothing queued: no running unit is left to
 * give anything.
 */
final class SplitQueue {
    private int workers;
    private final ArrayDeque<int[]> parts = new ArrayDeque<>();
    private int waiting;
    private boolean done;
    /** Units given so far (what the test of splitting asks). */
    private long given;
    private volatile boolean wanted;

    SplitQueue(int workers) {
        this.workers = workers;
    }

    /** Whether a worker waits for work and none is queued: a running unit should give some. */
    boolean wanted() {
        return wanted;
    }

    /**
     * Units split off a running one (each a fixed path prefix), for the waiting workers; false,
     * taking none, once the search is over for its workers (the giver then runs them itself).
     */
    synchronized boolean give(List<int[]> more) {
        if (done) {
            return false;
        }
        parts.addAll(more);
        given += more.size();
        wanted = false;
        notifyAll();
        return true;
    }

    synchronized long given() {
        return given;
    }

    /**
     * The next unit for a worker that has run out, waiting until some running unit gives one;
     * null when every worker has run out: no running unit is left to give anything. A search that
     * stops (a time limit, a first finding) needs nothing here: each execution its workers would
     * start, in their own units or in parts given meanwhile, is refused at once, so they come here,
     * and the last one to come ends the wait of all.
     */
    synchronized int[] take() {
        waiting++;
        while (parts.isEmpty() && !done) {
            if (waiting == workers) {
                over();
                break;
            }
            wanted = true;
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                over();
            }
        }
        if (parts.isEmpty()) {
            return null;
        }
        waiting--;
        wanted = waiting > 0 && parts.size() == 1;
        return parts.poll();
    }

    /**
     * A worker leaves without having run out (its unit failed): the others no longer wait for it,
     * so a failure ends the search with its error rather than a hang.
     */
    synchronized void quit() {
        workers--;
        if (waiting >= workers) {
            over();
        }
    }

    private void over() {
        done = true;
        wanted = false;
        notifyAll();
    }
}
