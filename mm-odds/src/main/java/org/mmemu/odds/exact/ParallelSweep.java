package org.mmemu.odds.exact;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The {@link Sweep} spread over host threads: the no-interrupt sweep first (it says where the CPUs
 * meet, which the one-interrupt tasks need for their bound on more interrupts), then each (c, k)
 * of the one-interrupt sweep a task, handed out in order of k by a counter per CPU; a CPU's
 * boundaries stop at the first k that no run reaches (a larger k is then unreachable too, and a
 * task already started for one adds nothing). Each task sums into its own {@link SweepTotals},
 * merged at the end, so the sums are the same whatever the threads' order (up to the order of
 * interval additions, which only moves ends by rounding, outward).
 */
final class ParallelSweep {
    private ParallelSweep() {
    }

    /** The totals of the whole sweep, on {@code workers} tasks of {@code pool}. */
    static SweepTotals run(SweepSetup setup, ExecutorService pool, int workers) {
        int cpus = setup.cpus();
        AtomicIntegerArray stopAt = new AtomicIntegerArray(cpus);
        for (int c = 0; c < cpus; c++) {
            stopAt.set(c, setup.profile().sourcesOn(c).isEmpty() ? 0 : Integer.MAX_VALUE);
        }
        AtomicInteger[] next = new AtomicInteger[cpus];
        for (int c = 0; c < cpus; c++) {
            next[c] = new AtomicInteger();
        }
        // first where the CPUs meet without an interrupt (a few dozen runs): the one-interrupt tasks
        // bound the runs with more interrupts there by their first
        Sweep none = new Sweep(setup);
        SweepTotals all = none.runNoInterrupt();
        double[] meeting = none.meeting();
        List<Future<SweepTotals>> parts = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            parts.add(pool.submit(() -> {
                Sweep sweep = new Sweep(setup);
                sweep.meeting(meeting);
                for (int c = 0; c < cpus && !sweep.totals().timedOut; c++) {
                    // each worker takes the next boundary of c in turn until c is exhausted
                    for (int b = next[c].incrementAndGet(); b < stopAt.get(c) && !sweep.totals().timedOut;
                            b = next[c].incrementAndGet()) {
                        if (!sweep.runOneInterrupt(c, b)) {
                            stopAt.accumulateAndGet(c, b, Math::min);
                        }
                    }
                }
                return sweep.totals();
            }));
        }
        for (Future<SweepTotals> f : parts) {
            try {
                all.merge(f.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("the odds sweep failed", e.getCause());
            }
        }
        return all;
    }

}
