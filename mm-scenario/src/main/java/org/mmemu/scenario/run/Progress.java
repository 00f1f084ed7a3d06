package org.mmemu.scenario.run;

import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The progress line on stderr: nothing for a run that ends within a second, then once a second
 * the executions so far, those with findings, and the time. Engines call {@link #update}; a
 * daemon timer prints, so the engine's loop never waits on the terminal.
 */
public final class Progress implements AutoCloseable {
    private final PrintStream out;
    private final String label;
    private final long start = System.nanoTime();
    private final ScheduledExecutorService timer;
    private volatile long executions;
    private volatile long withFindings;
    private boolean printed;

    private Progress(PrintStream out, String label) {
        this.out = out;
        this.label = label;
        if (out == null) {
            timer = null;
        } else {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "mmemu-progress");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleAtFixedRate(this::print, 1, 1, TimeUnit.SECONDS);
        }
    }

    /** Progress printed to {@code out} after the first second, as {@code label: ...}. */
    public static Progress on(PrintStream out, String label) {
        return new Progress(out, label);
    }

    /** No progress output (tests, JSON-only runs). */
    public static Progress silent() {
        return new Progress(null, "");
    }

    /** The engine has run {@code executions}, {@code withFindings} of them with findings. */
    public void update(long executions, long withFindings) {
        this.executions = executions;
        this.withFindings = withFindings;
    }

    private synchronized void print() {
        double secs = (System.nanoTime() - start) / 1e9;
        if (executions == 0) {
            out.printf("\r%s: running, %.0fs ", label, secs);
        } else {
            out.printf("\r%s: %,d executions, %,d with findings, %.0fs ", label, executions, withFindings, secs);
        }
        out.flush();
        printed = true;
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            if (printed) {
                out.println();
            }
        }
    }
}
