package org.mmemu.bench;

import java.lang.reflect.Constructor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;
import org.mmemu.core.Machine;
import org.mmemu.core.MachineConfig;
import org.mmemu.core.emu.Access;
import org.mmemu.core.emu.Site;
import org.mmemu.engine.run.Coroutine;
import org.mmemu.engine.DelayModel;
import org.mmemu.engine.ExploreOptions;
import org.mmemu.engine.ExploreResult;
import org.mmemu.engine.control.Explorer;
import org.mmemu.engine.Program;

/**
 * Handoffs per second between emulated CPUs, one empty step per turn, 2 to 8 CPUs, measured in
 * one run: the platform-thread baton the first controlled engine used ({@code park/unpark}, a
 * minimal copy kept here only for the comparison), the JDK's continuations yielding to one
 * driver thread (the mechanism of {@link Coroutine}), virtual threads whose scheduler is an
 * executor the calling thread drains (one carrier: the caller), and the controlled engine
 * itself: a replay of {@code irq:} (round robin, a handoff at every row) of a program whose CPUs
 * each take steps on a target of their own.
 *
 * <pre>
 * java --add-exports java.base/jdk.internal.vm=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED \
 *     -cp mm-tests/target/classes:$(cat mm-tests/target/classpath.txt) org.mmemu.bench.HandoffBench [reps]
 * </pre>
 * Without {@code --add-opens java.base/java.lang} the virtual-thread column says n/a (their
 * custom scheduler is reached by reflection).
 */
public final class HandoffBench {
    private static final int[] CPUS = {2, 4, 8};
    private static final Site STEP = Site.of("handoff", "empty step");

    private HandoffBench() {
    }

    /** The state the baton's threads share; the volatile turn publishes the rest. */
    private static final class Baton {
        volatile int turn;
        volatile boolean stop;
        long count;
    }

    /** The first engine's baton: each CPU a platform thread, a turn handed over by unpark, awaited by park. */
    static double baton(int n, long handoffs) throws InterruptedException {
        Thread[] threads = new Thread[n];
        Baton b = new Baton();
        for (int i = 0; i < n; i++) {
            int id = i;
            threads[i] = new Thread(() -> {
                for (;;) {
                    while (b.turn != id && !b.stop) {
                        LockSupport.park(b);
                    }
                    if (b.stop) {
                        return;
                    }
                    if (++b.count >= handoffs) { // the empty step
                        b.stop = true;
                        for (Thread t : threads) {
                            LockSupport.unpark(t);
                        }
                        return;
                    }
                    b.turn = (id + 1) % n;
                    LockSupport.unpark(threads[(id + 1) % n]);
                }
            }, "baton-" + i);
        }
        long t0 = System.nanoTime();
        for (Thread t : threads) {
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        return b.count / ((System.nanoTime() - t0) / 1e9);
    }

    /** Each CPU a continuation; the calling thread runs the one whose turn it is until it yields. */
    static double continuations(int n, long handoffs) {
        int[] turn = {0};
        long[] count = {0};
        boolean[] stop = {false};
        Coroutine[] cpus = new Coroutine[n];
        for (int i = 0; i < n; i++) {
            int id = i;
            cpus[i] = new Coroutine(() -> {
                while (!stop[0]) {
                    if (++count[0] >= handoffs) {
                        stop[0] = true;
                    }
                    turn[0] = (id + 1) % n;
                    Coroutine.yield();
                }
            });
        }
        long t0 = System.nanoTime();
        while (!stop[0]) {
            cpus[turn[0]].run();
        }
        for (Coroutine c : cpus) {
            while (!c.done()) {
                c.run();
            }
        }
        return count[0] / ((System.nanoTime() - t0) / 1e9);
    }

    /** A virtual-thread builder whose scheduler is {@code executor}, or null without --add-opens java.base/java.lang. */
    private static Thread.Builder.OfVirtual builderOn(Executor executor) {
        try {
            Class<?> c = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
            Constructor<?> k = c.getDeclaredConstructor(Executor.class);
            k.setAccessible(true);
            return (Thread.Builder.OfVirtual) k.newInstance(executor);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** Each CPU a virtual thread whose scheduler queues its continuation for the calling thread to run. */
    static double virtualThreads(int n, long handoffs) {
        ArrayDeque<Runnable> ready = new ArrayDeque<>();
        Thread.Builder.OfVirtual b = builderOn(ready::add);
        if (b == null) {
            return Double.NaN;
        }
        Thread[] threads = new Thread[n];
        int[] turn = {0};
        long[] count = {0};
        boolean[] stop = {false};
        for (int i = 0; i < n; i++) {
            int id = i;
            threads[i] = b.unstarted(() -> {
                for (;;) {
                    while (turn[0] != id && !stop[0]) {
                        LockSupport.park();
                    }
                    if (stop[0]) {
                        return;
                    }
                    if (++count[0] >= handoffs) {
                        stop[0] = true;
                        for (Thread t : threads) {
                            LockSupport.unpark(t);
                        }
                        return;
                    }
                    turn[0] = (id + 1) % n;
                    LockSupport.unpark(threads[(id + 1) % n]);
                }
            });
        }
        long t0 = System.nanoTime();
        for (Thread t : threads) {
            t.start();
        }
        for (Runnable r = ready.poll(); r != null; r = ready.poll()) {
            r.run();
        }
        return count[0] / ((System.nanoTime() - t0) / 1e9);
    }

    /**
     * The controlled engine: {@code handoffs / n} steps per CPU on targets of its own, replayed
     * round robin. The targets cycle through 97 objects so that the livelock detector, which
     * looks for loops of up to 48 steps over unchanged state, does its per-step bookkeeping but
     * finds no loop (a loop would end the run).
     */
    static double engine(int n, long handoffs) {
        long perCpu = handoffs / n;
        Program p = Program.of(g -> new Machine(MachineConfig.of(n, 16), g), (m, cpu) -> {
            Object[] targets = new Object[97];
            for (int i = 0; i < targets.length; i++) {
                targets[i] = new Object();
            }
            for (long i = 0; i < perCpu; i++) {
                cpu.step(STEP, targets[(int) (i % targets.length)], Access.WRITE);
            }
        });
        ExploreOptions o = ExploreOptions.defaults().withPolicy("replay").withSchedule("irq:")
                .withDelays(DelayModel.IRQ).withMaxSteps(Long.MAX_VALUE).withShrink(false);
        long t0 = System.nanoTime();
        ExploreResult r = Explorer.explore(p, o);
        return r.steps() / ((System.nanoTime() - t0) / 1e9);
    }

    private interface Rate {
        double measure(int n, long handoffs) throws Exception;
    }

    private static double median(Rate rate, int n, long handoffs, int reps) throws Exception {
        rate.measure(n, handoffs / 10); // warm-up
        List<Double> xs = new ArrayList<>();
        for (int i = 0; i < reps; i++) {
            xs.add(rate.measure(n, handoffs));
        }
        xs.sort(null);
        return xs.get(xs.size() / 2);
    }

    public static void main(String[] args) throws Exception {
        Coroutine.check();
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        System.out.printf("handoffs/s (millions), one empty step per turn, median of %d; JDK %s%n", reps,
                Runtime.version());
        System.out.println("| CPUs | park/unpark baton | continuations | virtual threads, caller-driven "
                + "| controlled engine (replay irq:) | engine / baton |");
        System.out.println("|---|---|---|---|---|---|");
        for (int n : CPUS) {
            double baton = median(HandoffBench::baton, n, 200_000, reps);
            double cont = median(HandoffBench::continuations, n, 5_000_000, reps);
            double vt = median(HandoffBench::virtualThreads, n, 2_000_000, reps);
            double eng = median(HandoffBench::engine, n, 4_000_000, reps);
            System.out.printf("| %d | %.2f | %.2f | %s | %.2f | %.0fx |%n", n, baton / 1e6, cont / 1e6,
                    Double.isNaN(vt) ? "n/a" : String.format("%.2f", vt / 1e6), eng / 1e6, eng / baton);
        }
    }
}
