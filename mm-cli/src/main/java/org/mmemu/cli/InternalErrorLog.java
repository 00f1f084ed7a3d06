package org.mmemu.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Where an internal error's stack trace goes: a file of its own in the temporary directory
 * ({@code mmemu-error-<time>.log}), never the terminal, whose one line says where it is and asks
 * for a report.
 */
final class InternalErrorLog {
    private InternalErrorLog() {
    }

    /** Writes {@code t} with {@code args} to a new log file; returns its path, or null if none could be written. */
    static Path write(Throwable t, String[] args) {
        StringWriter trace = new StringWriter();
        try (PrintWriter w = new PrintWriter(trace)) {
            w.println("mmemu internal error at " + Instant.now());
            w.println("java " + System.getProperty("java.version") + " on " + System.getProperty("os.name") + " "
                    + System.getProperty("os.arch"));
            w.println("arguments: " + String.join(" ", args));
            t.printStackTrace(w);
        }
        try {
            Path f = Files.createTempFile("mmemu-error-", ".log");
            Files.writeString(f, trace.toString(), StandardCharsets.UTF_8);
            return f;
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    /** The one line the terminal gets. */
    static String line(Throwable t, Path log) {
        return "mmemu: internal error (" + t.getClass().getSimpleName() + ": " + org.mmemu.scenario.Echo.cut(
                String.valueOf(t.getMessage())) + "); please report it with "
                + (log == null ? "the command line (no log file could be written)" : "the log " + log);
    }
}
