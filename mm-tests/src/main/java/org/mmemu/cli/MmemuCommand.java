package org.mmemu.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mmemu}: the top command; everything happens in a subcommand. */
@Command(name = "mmemu", mixinStandardHelpOptions = true, version = "mmemu 0.1.0",
        description = "Reproduce, explain and compare the 2002 page refcount / LRU races of Linux 2.5.",
        subcommands = {RunCommand.class, ExploreCommand.class, ReplayCommand.class, CompareCommand.class,
            StressCommand.class, DemoCommand.class, ProtocolsCommand.class, ScenariosCommand.class,
            BenchCommand.class, picocli.CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:the expectations held (for 'expect: []' only when the bounded space was covered)",
            "1:they did not hold",
            "2:bad input of any kind: files, options, schedules, paths",
            "3:an internal error of mmemu (please report it with the log file the message names)",
            "4:inconclusive: a bound was hit before the space was covered and nothing found contradicts"
                + " the expectation (the output says INCOMPLETE and which bound)"})
final class MmemuCommand implements Runnable {
    private final Context context;

    @Spec
    CommandSpec spec;

    MmemuCommand(Context context) {
        this.context = context;
    }

    Context context() {
        return context;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command (run, explore, replay, compare, stress,"
                + " demo, protocols, scenarios, bench)");
    }
}
