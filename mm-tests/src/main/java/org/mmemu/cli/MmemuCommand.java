package org.mmemu.cli;

import java.util.List;
import java.util.function.Function;
import org.mmemu.scenario.run.ProtocolCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mmemu}: the top command; everything happens in a subcommand. */
@Command(name = "mmemu", mixinStandardHelpOptions = true, version = "mmemu 0.1.0",
        description = "Reproduce, explain and compare the 2002 page refcount / LRU races of Linux 2.5.",
        subcommands = {RunCommand.class, ExploreCommand.class, ReplayCommand.class, MergeCommand.class, CompareCommand.class,
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
    private final Function<ProtocolCatalog, Context> contextFor;
    private final String envClasspath;
    private Context context;

    @Spec
    CommandSpec spec;

    @Option(names = "--classpath", paramLabel = "JARS", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "jars or directories with more protocols (META-INF/services/org.mmemu.lru.LruProtocol), separated by the path"
            + " separator; added to those of MMEMU_CLASSPATH")
    String classpath;

    /** {@code -v}: info, {@code -vv}: debug (see {@link Verbosity}). */
    @Option(names = {"-v", "--verbose"}, scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "log to stderr what the emulator does: -v explorations and bounds hit, -vv also"
                    + " exploration rounds, kswapd wake-ups and balancing, OOM kills")
    void verbose(boolean[] flags) {
        Verbosity.set(flags.length);
    }

    /**
     * @param contextFor   the context over a catalog of protocols
     * @param envClasspath the value of {@code MMEMU_CLASSPATH}, or null
     */
    MmemuCommand(Function<ProtocolCatalog, Context> contextFor, String envClasspath) {
        this.contextFor = contextFor;
        this.envClasspath = envClasspath;
    }

    /**
     * The invocation's context, made on first use, which is after the command line is parsed:
     * the protocols are looked up only once {@code --classpath} is known.
     */
    Context context() {
        if (context == null) {
            ProtocolCatalog protocols;
            try {
                protocols = ProtocolJars.catalog(List.of(new String[] {"--classpath", classpath},
                        new String[] {"MMEMU_CLASSPATH", envClasspath}));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage(), e, null, classpath);
            }
            context = contextFor.apply(protocols);
        }
        return context;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command (run, explore, replay, merge, compare, stress,"
                + " demo, protocols, scenarios, bench)");
    }
}
