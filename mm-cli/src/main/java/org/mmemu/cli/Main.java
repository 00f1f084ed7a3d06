package org.mmemu.cli;

import java.io.PrintWriter;
import org.mmemu.engine.MissingJvmFlag;
import org.mmemu.scenario.ops.BadInput;
import org.mmemu.scenario.ops.NotWired;
import org.mmemu.scenario.ops.ScenarioFailure;
import org.mmemu.scenario.yaml.ScenarioException;
import picocli.CommandLine;

/**
 * The {@code mmemu} command line (issues 7 and 13). Exit status: 0 when the scenario's
 * expectations held (for an empty {@code expect:} only when the space was covered), 1 when they
 * did not, 2 for bad input of any kind (files, options, schedules, paths), 3 for an internal
 * error only, 4 when the result is inconclusive (a bound was hit before the space was covered and
 * nothing found contradicts the expectation). Bad input gives one line on stderr and no stack
 * trace; an internal error gives one line asking for a report and puts the stack trace in a log
 * file ({@link InternalErrorLog}).
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
    /** Exit status when a bound was hit before the space was covered and nothing contradicts the expectation. */
    public static final int INCONCLUSIVE = 4;

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
        MmemuCommand.subcommandsFor(args).forEach(cl::addSubcommand);
        // Every subcommand's --help lists the exit statuses, as the top command's does.
        var usage = cl.getCommandSpec().usageMessage();
        cl.getSubcommands().values().forEach(sub -> sub.getCommandSpec().usageMessage()
                .exitCodeListHeading(usage.exitCodeListHeading()).exitCodeList(usage.exitCodeList()));
        // Each command's help shows the options it takes, no more.
        cl.getSubcommands().values().forEach(EngineOptions::hideNotTaken);
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
                err.println(InternalErrorLog.line(ex, InternalErrorLog.write(ex, args)));
                err.flush();
                return INTERNAL;
            }
            err.flush();
            return BAD_INPUT;
        });
        try {
            return cl.execute(args);
        } catch (StackOverflowError | OutOfMemoryError e) {
            // What picocli does not catch; still one line, the stack trace in the log.
            err.println(InternalErrorLog.line(e, InternalErrorLog.write(e, args)));
            err.flush();
            return INTERNAL;
        }
    }

    /** The most characters of one message line: user input echoed in it is cut as well. */
    static final int MAX_LINE = 400;

    private static String oneLine(String s) {
        String l = s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ").trim();
        return l.length() <= MAX_LINE ? l : l.substring(0, MAX_LINE - 3) + "...";
    }
}
