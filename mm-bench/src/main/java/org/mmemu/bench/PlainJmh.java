package org.mmemu.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/** The plain-Java side of {@link ReleaseJmh}: the same operations on the host, unemulated. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class PlainJmh {
    private final AtomicInteger atomic = new AtomicInteger(Integer.MAX_VALUE);
    private final ReentrantLock lock = new ReentrantLock();
    private int plain = Integer.MAX_VALUE;

    /** The host's atomic decrement and test: what {@code put_page_testzero()} is. */
    @Benchmark
    public boolean atomicDecrement() {
        return atomic.decrementAndGet() == 0;
    }

    /** A decrement under a host lock: what always-lock's release is, without the emulation. */
    @Benchmark
    public boolean lockedDecrement() {
        lock.lock();
        try {
            return --plain == 0;
        } finally {
            lock.unlock();
        }
    }

    /** The same under {@code synchronized}. */
    @Benchmark
    public boolean synchronizedDecrement() {
        synchronized (this) {
            return --plain == 0;
        }
    }
}
