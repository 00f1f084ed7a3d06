package org.mmemu.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntUnaryOperator;

/**
 * Benchmark 2's other side: what the emulated release does, done by plain Java on the host, so
 * that the emulator's own overhead shows as a ratio. Three operations stand for the three shapes
 * of release: an {@link AtomicInteger} decrement (a shared page's {@code put_page_testzero}),
 * the same decrement under a {@link ReentrantLock} and under {@code synchronized} (the
 * always-lock release). One or two threads, all on one counter (one page), each doing
 * {@code ops} operations; the time is the slowest thread's.
 */
public final class Baselines {
    /** The operations. */
    public enum Op { ATOMIC_DECREMENT, REENTRANT_LOCK, SYNCHRONIZED }

    private Baselines() {
    }

    /** Operations per second of {@code op} by {@code threads} threads doing {@code ops} each. */
    public static double opsPerSecond(Op op, int threads, int ops) {
        Counter c = new Counter();
        IntUnaryOperator body = switch (op) {
            case ATOMIC_DECREMENT -> n -> {
                int s = 0;
                for (int i = 0; i < n; i++) {
                    s += c.atomic.decrementAndGet() == 0 ? 1 : 0;
                }
                return s;
            };
            case REENTRANT_LOCK -> n -> {
                int s = 0;
                for (int i = 0; i < n; i++) {
                    c.lock.lock();
                    try {
                        s += --c.plain == 0 ? 1 : 0;
                    } finally {
                        c.lock.unlock();
                    }
                }
                return s;
            };
            case SYNCHRONIZED -> n -> {
                int s = 0;
                for (int i = 0; i < n; i++) {
                    synchronized (c) {
                        s += --c.plain == 0 ? 1 : 0;
                    }
                }
                return s;
            };
        };
        long[] nanos = new long[threads];
        int[] sink = new int[threads];
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            ts.add(new Thread(() -> {
                long t0 = System.nanoTime();
                sink[id] = body.applyAsInt(ops);
                nanos[id] = System.nanoTime() - t0;
            }, "mmemu-baseline-" + t));
        }
        ts.forEach(Thread::start);
        for (Thread t : ts) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        long slowest = 0;
        for (long n : nanos) {
            slowest = Math.max(slowest, n);
        }
        if (sink[0] < 0) {
            throw new AssertionError("unreachable; keeps the loop's result live");
        }
        return (double) threads * ops * 1e9 / Math.max(1, slowest);
    }

    /** One page's count, as a host object. Starts far from zero, so no decrement reaches it. */
    static final class Counter {
        final AtomicInteger atomic = new AtomicInteger(Integer.MAX_VALUE);
        final ReentrantLock lock = new ReentrantLock();
        int plain = Integer.MAX_VALUE;
    }
}
