package org.mmemu.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Function;
import org.mmemu.lru.protocol.ProtocolRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code mmemu}: the top command; everything happens in a subcommand. */
@Command(name = "mmemu", mixinStandardHelpOptions = true, version = "mmemu 0.1.0",
        description = "Reproduce, explain and compare the 2002 page refcount / LRU races of Linux 2.5.",
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:the expectations held (for 'expect: []' only when the bounded space was covered)",
            "1:they did not hold",
            "2:bad input of any kind: files, options, schedules, paths",
            "3:an internal error of mmemu (please report it with the log file the message names)",
            "4:inconclusive: a bound was hit before the space was covered and nothing found contradicts"
                + " the expectation (the output says INCOMPLETE and which bound)"})
final class MmemuCommand implements Runnable {
    /**
     * The subcommands, in the order help lists them: this module's, then those other modules on
     * the class path add ({@link Subcommand}: {@code bench} from mm-bench), then help.
     */
    static final List<Class<?>> SUBCOMMANDS = subcommands();
    private final Function<ProtocolRegistry, Context> contextFor;
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
     * @param contextFor   the context over the registry of protocols
     * @param envClasspath the value of {@code MMEMU_CLASSPATH}, or null
     */
    MmemuCommand(Function<ProtocolRegistry, Context> contextFor, String envClasspath) {
        this.contextFor = contextFor;
        this.envClasspath = envClasspath;
    }

    /**
     * The invocation's context, made on first use, which is after the command line is parsed:
     * the protocols are looked up only once {@code --classpath} is known.
     */
    Context context() {
        if (context == null) {
            ProtocolRegistry protocols;
            try {
                protocols = ProtocolRegistry.withClassPath(List.of(new ProtocolRegistry.ClassPath("--classpath", classpath),
                        new ProtocolRegistry.ClassPath("MMEMU_CLASSPATH", envClasspath)));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage(), e);
            }
            context = contextFor.apply(protocols);
        }
        return context;
    }

    /**
     * The subcommands to give the command line for {@code args}: only the one named, when a
     * known one is, else all (for help, usage and a mistyped name's suggestions). Picocli builds
     * each subcommand's model by reflection when it is added, which took about a third of the
     * start-up of a short run when all ten were built for every call.
     */
    static List<Class<?>> subcommandsFor(String[] args) {
        String name = null;
        for (int i = 0; i < args.length && name == null; i++) {
            String a = args[i];
            if (a.equals("--classpath")) {
                i++; // its value
            } else if (!a.startsWith("-")) {
                name = a;
            }
        }
        for (Class<?> c : SUBCOMMANDS) {
            if (c.getAnnotation(Command.class).name().equals(name) && !name.equals("help")) {
                return List.of(c);
            }
        }
        return SUBCOMMANDS;
    }

    private static List<Class<?>> subcommands() {
        List<Class<?>> all = new ArrayList<>(List.of(RunCommand.class, ExploreCommand.class, ReplayCommand.class,
                MergeCommand.class, CompareCommand.class, StressCommand.class, DemoCommand.class,
                ProtocolsCommand.class, KernelsCommand.class, ScenariosCommand.class, CatalogueCommand.class));
        // the provider's type only: picocli makes the instance when it builds the command
        ServiceLoader.load(Subcommand.class, MmemuCommand.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::type).forEach(all::add);
        all.add(picocli.CommandLine.HelpCommand.class);
        return List.copyOf(all);
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command (run, explore, replay, merge, compare, stress,"
                + " demo, protocols, scenarios, catalogue, bench)");
    }
}
