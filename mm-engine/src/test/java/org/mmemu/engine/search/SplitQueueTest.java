package org.mmemu.engine.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.mmemu.engine.DelayModel;
import org.mmemu.engine.ExploreOptions;
import org.mmemu.engine.RunResult;
import org.mmemu.engine.Schedule;
import org.mmemu.engine.delay.Chooser;
import org.mmemu.engine.delay.Decision;
import org.mmemu.engine.delay.Option;

/**
 * Workers that run out of units take parts of the units others run ({@link SplitQueue}), and the
 * search still runs every execution exactly once: one unit (the whole tree) and four workers run
 * the same set of paths as one worker alone, with parts given away, and every worker returns.
 */
class SplitQueueTest {
    /** A decision tree of a given shape: at depth d, {@code width[d]} options; a path is an execution. */
    private static final class TreeRunner implements SchedulePolicy.Runner {
        final int[] width;
        final ExploreOptions o;
        final Set<List<Integer>> paths = ConcurrentHashMap.newKeySet();
        final AtomicInteger runs = new AtomicInteger();
        /** The execution (by count) that fails as an emulator error would, or -1. */
        int failAt = -1;

        TreeRunner(ExploreOptions o, int... width) {
            this.o = o;
            this.width = width;
        }

        @Override
        public ExploreOptions options() {
            return o;
        }

        @Override
        public RunResult run(Chooser chooser, Supplier<int[]> key) {
            List<Integer> path = walk(chooser);
            if (runs.incrementAndGet() == failAt) {
                throw new IllegalStateException("emulator error");
            }
            assertThat(paths.add(path)).as("path %s run twice", path).isTrue();
            assertThat(Arrays.stream(key.get()).boxed().toList()).isEqualTo(path);
            return new RunResult(RunResult.Outcome.COMPLETED, List.of(), List.of(), path.size(), "", 0, null, null);
        }

        private List<Integer> walk(Chooser chooser) {
            List<Integer> path = new ArrayList<>();
            for (int d = 0; d < width.length; d++) {
                List<Option> options = new ArrayList<>();
                for (int i = 0; i < width[d]; i++) {
                    options.add(Option.step(i, 0, null, null));
                }
                path.add(chooser.choose(new Decision(options, false, d, null)));
            }
            return path;
        }

        @Override
        public RunResult replay(Schedule schedule, int[] key) {
            throw new UnsupportedOperationException();
        }

        @Override
        public RunResult probe(Chooser chooser) {
            walk(chooser);
            return null;
        }

        @Override
        public boolean stopping() {
            return false;
        }
    }

    @Test
    void idleWorkersTakePartsAndEveryPathRunsOnce() throws InterruptedException {
        ExploreOptions o = ExploreOptions.defaults().withDelays(DelayModel.ANYWHERE).withPor(false)
                .withPreemptionBound(-1).withMerge(false);
        int[] shape = {3, 4, 2, 5, 3, 4, 2, 3};
        TreeRunner alone = new TreeRunner(o, shape);
        SchedulePolicy one = Policies.create("exhaustive", o);
        assertThat(one.plan(alone)).isEqualTo(1);
        one.runUnits(singleUnit(), 1, alone);
        assertThat(alone.runs.get()).isEqualTo(Arrays.stream(shape).reduce(1, (a, b) -> a * b));

        TreeRunner shared = new TreeRunner(o, shape);
        ExhaustivePolicy four = (ExhaustivePolicy) Policies.create("exhaustive", o);
        assertThat(four.plan(shared)).isEqualTo(1); // one unit: the other three workers start with none
        AtomicInteger next = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            Thread t = new Thread(() -> four.runUnits(() -> next.getAndIncrement() == 0 ? 0 : -1, 4, shared));
            workers.add(t);
            t.start();
        }
        for (Thread t : workers) {
            t.join(60_000);
            assertThat(t.isAlive()).as("a worker never returned").isFalse();
        }
        assertThat(shared.paths).isEqualTo(alone.paths);
        assertThat(shared.runs.get()).isEqualTo(alone.runs.get());
        assertThat(four.unitsSplit()).as("units given to the workers that had none").isPositive();
    }

    @Test
    void aWorkerThatFailsLeavesNoOtherWaiting() throws InterruptedException {
        ExploreOptions o = ExploreOptions.defaults().withDelays(DelayModel.ANYWHERE).withPor(false)
                .withPreemptionBound(-1).withMerge(false);
        TreeRunner failing = new TreeRunner(o, 3, 4, 2, 5, 3, 4, 2, 3);
        failing.failAt = 2_000;
        ExhaustivePolicy p = (ExhaustivePolicy) Policies.create("exhaustive", o);
        p.plan(failing);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            Thread t = new Thread(() -> {
                try {
                    p.runUnits(() -> next.getAndIncrement() == 0 ? 0 : -1, 3, failing);
                } catch (IllegalStateException e) {
                    failed.incrementAndGet();
                }
            });
            workers.add(t);
            t.start();
        }
        for (Thread t : workers) {
            t.join(60_000);
            assertThat(t.isAlive()).as("a worker still waits for one that failed").isFalse();
        }
        assertThat(failed.get()).isEqualTo(1);
    }

    private static java.util.function.IntSupplier singleUnit() {
        AtomicInteger next = new AtomicInteger();
        return () -> next.getAndIncrement() == 0 ? 0 : -1;
    }
}
