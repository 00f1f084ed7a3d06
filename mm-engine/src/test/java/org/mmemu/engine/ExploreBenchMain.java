package org.mmemu.engine;

import java.time.Duration;
import java.util.Arrays;
import org.mmemu.core.Machine;
import org.mmemu.core.MachineConfig;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.Site;
import org.mmemu.core.emu.StepGate;
import org.mmemu.core.sync.SpinLock;
import org.mmemu.engine.control.Explorer;

/**
 * Throughput of the exhaustive policy on a two-CPU program: steps per second (every row of every
 * execution, pruned ones included) and schedules per second (executions run to their end), with 1 and 2 worker threads, the median of several runs in one process after a warm-up.
 * Not a unit test (speed claims belong in benchmarks). Run from the worktree root after
 * {@code mvn -B -q -o -pl mm-core test-compile}:
 * <pre>
 *   java -cp mm-core/target/classes:mm-core/target/test-classes org.mmemu.engine.ExploreBenchMain \
 *       [iterations=3] [runs=5] [preemption-bound=2] [por=true]
 * </pre>
 * The program: each CPU does {@code iterations} times (a local step, lock, load a shared counter,
 * store it, unlock, a local step), explored with the given preemption bound, with or without sleep-set reduction.
 */
public final class ExploreBenchMain {
    private static final Site WORK = Site.of("bench", "local work");
    private static final Site LOAD = Site.of("bench", "v = counter");
    private static final Site STORE = Site.of("bench", "counter = v + 1");

    private ExploreBenchMain() {
    }

    static Program program(int iterations) {
        return new Program() {
            @Override
            public Machine boot(StepGate gate) {
                return new Machine(MachineConfig.of(2, 16), gate);
            }

            @Override
            public void run(Machine m, Cpu cpu) {
                SpinLock lock = m.extension(SpinLock.class, x -> new SpinLock("bench_lock"));
                TinyPrograms.Word c = TinyPrograms.counter(m);
                for (int i = 0; i < iterations; i++) {
                    cpu.local(WORK);
                    lock.spinLock(cpu);
                    cpu.step(LOAD, c, Access.READ);
                    int v = c.value;
                    cpu.step(STORE, c, Access.WRITE);
                    c.value = v + 1;
                    lock.spinUnlock(cpu);
                    cpu.local(WORK);
                }
            }
        };
    }

    public static void main(String[] args) {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int bound = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        boolean por = args.length <= 3 || Boolean.parseBoolean(args[3]);
        Program p = program(iterations);
        ExploreOptions o = ExploreOptions.defaults().withPreemptionBound(bound).withPor(por)
                .withMaxSchedules(Long.MAX_VALUE).withTimeLimit(Duration.ofMinutes(10));
        System.out.printf("program: 2 CPUs x %d iterations (%d steps per execution), exhaustive, bound %d, POR %s, %d runs%n",
                iterations, Explorer.replay(p, "any:").steps(), bound, por, runs);
        for (int threads : new int[] {1, 2}) {
            ExploreOptions t = o.withThreads(threads);
            Explorer.explore(p, t); // warm-up
            double[] stepsPerS = new double[runs];
            double[] schedPerS = new double[runs];
            double[] execPerS = new double[runs];
            ExploreResult last = null;
            for (int i = 0; i < runs; i++) {
                long start = System.nanoTime();
                last = Explorer.explore(p, t);
                double s = (System.nanoTime() - start) / 1e9;
                stepsPerS[i] = last.steps() / s;
                schedPerS[i] = last.schedules() / s;
                execPerS[i] = (last.schedules() + last.pruned()) / s;
            }
            System.out.printf("threads %d: %d schedules + %d pruned, %d steps, complete=%s; "
                            + "median %.0f steps/s, %.0f schedules/s, %.0f executions/s (pruned included)%n",
                    threads, last.schedules(), last.pruned(), last.steps(), last.complete(), median(stepsPerS),
                    median(schedPerS), median(execPerS));
        }
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
