package org.mmemu.cli;

import java.io.PrintWriter;
import org.mmemu.core.engine.MissingJvmFlag;
import org.mmemu.scenario.ops.BadInput;
import org.mmemu.scenario.ops.NotWired;
import org.mmemu.scenario.ops.ScenarioFailure;
import org.mmemu.scenario.ScenarioException;
import picocli.CommandLine;

/**
 * The {@code mmemu} command line (issue 7). Exit status: 0 when the scenario's expectations
 * held, 1 when they did not, 2 for bad input or usage, always with one message line on stderr
 * and no stack trace (set {@code MMEMU_DEBUG=1} to see one for an internal error).
 */
public final class Main {
    /** Exit status when the expectations held. */
    public static final int HELD = 0;
    /** Exit status when they did not. */
    public static final int NOT_HELD = 1;
    /** Exit status for bad input or usage. */
    public static final int BAD_INPUT = 2;
    /** Exit status for an error of mmemu itself. */
    public static final int INTERNAL = 3;

    private Main() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int status = run(args, out, err, true, System.getenv("MMEMU_CLASSPATH"));
        out.flush();
        err.flush();
        System.exit(status);
    }

    /** Runs the command line in-process with the given streams; returns the exit status. */
    public static int run(String[] args, PrintWriter out, PrintWriter err, boolean progress) {
        return run(args, out, err, progress, null);
    }

    /**
     * {@link #run(String[], PrintWriter, PrintWriter, boolean)} with {@code classpath} standing
     * for {@code MMEMU_CLASSPATH}: jars whose protocols are added to the shipped ones.
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err, boolean progress, String classpath) {
        Verbosity.set(0);
        CommandLine cl = new CommandLine(new MmemuCommand(protocols -> Context.of(protocols, out, err, progress),
                classpath));
        cl.setOut(out);
        cl.setErr(err);
        cl.setParameterExceptionHandler((ex, a) -> {
            String sub = ex.getCommandLine().getCommandSpec().qualifiedName();
            err.println(sub + ": " + oneLine(ex.getMessage()) + " (see '" + sub + " --help')");
            err.flush();
            return BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((thrown, c, parsed) -> {
            Exception ex = BadInput.in(thrown).map(e -> (Exception) e).orElse(thrown);
            if (ex instanceof ScenarioException) {
                err.println(oneLine(ex.getMessage()));
            } else if (ex instanceof NotWired || ex instanceof ScenarioFailure) {
                err.println("mmemu: " + oneLine(ex.getMessage()));
            } else if (ex instanceof MissingJvmFlag) {
                // the JVM was started without a flag the engine needs: say which, as it is
                err.println("mmemu: " + oneLine(ex.getMessage()));
                err.flush();
                return INTERNAL;
            } else {
                err.println("mmemu: internal error: " + oneLine(String.valueOf(ex)));
                if (System.getenv("MMEMU_DEBUG") != null) {
                    ex.printStackTrace(err);
                }
                err.flush();
                return INTERNAL;
            }
            err.flush();
            return BAD_INPUT;
        });
        try {
            return cl.execute(args);
        } catch (StackOverflowError | OutOfMemoryError e) {
            // What picocli does not catch; still one line, no stack trace.
            err.println("mmemu: internal error: " + e);
            err.flush();
            return INTERNAL;
        }
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").trim();
    }
}
