package org.mmemu.core.engine;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The platform threads that carry emulated CPUs, reused from one execution to the next (Java 17
 * has no virtual threads, and starting threads costs more than a small execution). Every
 * execution ends all its CPUs' code before it returns, so between executions the threads are
 * idle in the pool; {@link #close} ends them.
 */
final class CpuThreads implements AutoCloseable {
    private final ExecutorService pool;

    CpuThreads() {
        AtomicInteger n = new AtomicInteger();
        pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "mmemu-cpu-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    void execute(Runnable task) {
        pool.execute(task);
    }

    @Override
    public void close() {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
