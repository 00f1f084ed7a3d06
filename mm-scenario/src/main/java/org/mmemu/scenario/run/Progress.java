package org.mmemu.scenario.run;

import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The progress line on stderr: nothing for a run that ends within a second, then once a second
 * the executions so far, those with findings, and the time, rewritten in place with {@code \r}
 * on a terminal; where stderr is not a terminal (a log file, a CI job) a whole line every
 * {@link #LOG_SECONDS} seconds instead, so that logs get lines, not carriage returns. Engines call
 * {@link #update}; a daemon timer prints, so the engine's loop never waits on the terminal.
 */
public final class Progress implements AutoCloseable {
    /** How often a line is written where stderr is not a terminal. */
    public static final int LOG_SECONDS = 10;

    private final PrintStream out;
    private final String label;
    private final boolean terminal;
    private final long start = System.nanoTime();
    private final ScheduledExecutorService timer;
    private volatile long executions;
    private volatile long withFindings;
    private boolean printed;

    private Progress(PrintStream out, String label, boolean terminal) {
        this(out, label, terminal, terminal ? 1000 : LOG_SECONDS * 1000L);
    }

    private Progress(PrintStream out, String label, boolean terminal, long everyMillis) {
        this.out = out;
        this.label = label;
        this.terminal = terminal;
        if (out == null) {
            timer = null;
        } else {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "mmemu-progress");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleAtFixedRate(this::print, everyMillis, everyMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** Progress printed to {@code out}, a terminal, after the first second, as {@code label: ...}. */
    public static Progress on(PrintStream out, String label) {
        return new Progress(out, label, true);
    }

    /**
     * Progress printed to {@code out} as {@code label: ...}: rewritten in place once a second
     * when {@code terminal}, else one whole line every {@link #LOG_SECONDS} seconds.
     */
    public static Progress on(PrintStream out, String label, boolean terminal) {
        return new Progress(out, label, terminal);
    }

    /** As {@link #on(PrintStream, String, boolean)}, printing every {@code every} (for tests). */
    public static Progress on(PrintStream out, String label, boolean terminal, java.time.Duration every) {
        return new Progress(out, label, terminal, Math.max(1, every.toMillis()));
    }

    /**
     * Whether stderr is a terminal: what {@code ./mmemu} says in {@code -Dmmemu.stderr.tty}
     * (it asks the shell, {@code [ -t 2 ]}), else whether the JVM has a console (on JDK 21
     * only when stdin and stdout are terminals; a guess for stderr).
     */
    public static boolean stderrIsTerminal() {
        String p = System.getProperty("mmemu.stderr.tty");
        if (p != null) {
            return Boolean.parseBoolean(p);
        }
        java.io.Console c = System.console();
        if (c == null) {
            return false;
        }
        try {
            // JDK 22+: a console exists even when redirected; isTerminal says whether it is one
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }

    /** No progress output (tests, JSON-only runs). */
    public static Progress silent() {
        return new Progress(null, "", false);
    }

    /** The engine has run {@code executions}, {@code withFindings} of them with findings. */
    public void update(long executions, long withFindings) {
        this.executions = executions;
        this.withFindings = withFindings;
    }

    private synchronized void print() {
        double secs = (System.nanoTime() - start) / 1e9;
        String line = executions == 0 ? String.format("%s: running, %.0fs", label, secs)
                : String.format("%s: %,d executions, %,d with findings, %.0fs", label, executions, withFindings, secs);
        if (terminal) {
            out.print("\r" + line + " ");
            printed = true;
        } else {
            out.println(line);
        }
        out.flush();
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
