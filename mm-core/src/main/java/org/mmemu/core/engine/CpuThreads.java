package org.mmemu.core.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The platform threads that carry emulated CPUs, reused from one execution to the next (Java 17
 * has no virtual threads, and starting threads costs more than a small execution). Every
 * execution ends all its CPUs' code before it returns, so between executions the threads are
 * idle in the pool; {@link #close} ends them and waits until each has died.
 */
final class CpuThreads implements AutoCloseable {
    private final ExecutorService pool;
    private final List<Thread> created = new ArrayList<>();

    CpuThreads() {
        pool = Executors.newCachedThreadPool(r -> {
            Thread t;
            synchronized (created) {
                t = new Thread(r, "mmemu-cpu-" + created.size());
                created.add(t);
            }
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
        boolean interrupted = false;
        try {
            if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                pool.shutdownNow();
            }
            List<Thread> all;
            synchronized (created) {
                all = List.copyOf(created);
            }
            for (Thread t : all) {
                t.join();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
