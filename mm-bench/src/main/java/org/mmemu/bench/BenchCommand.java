package org.mmemu.bench;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.io.PrintWriter;
import org.mmemu.cli.Subcommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code mmemu bench [SECTION...] [--reps N] [--seconds S] ... [--html FILE] [--jmh]}: the
 * benchmarks of the bench package, every argument handed to {@link BenchMain#run} (its Javadoc
 * lists them); the tables go to this command's output as they are made.
 */
@Command(name = "bench", version = "mmemu 0.1.0",
        description = "Benchmarks: release paths, baselines, exploration, stress, timed rates (BenchMain; --html FILE, --jmh);"
                + " 'bench scale [--json FILE]': full-size machines (ScaleBench); 'bench engine [--rounds N]':"
                + " the controlled engine's steps/s with the JIT amortised (EngineBench).")
public final class BenchCommand implements Callable<Integer>, Subcommand {
    @Spec
    CommandSpec spec;

    @Unmatched
    List<String> args = new ArrayList<>();

    /**
     * {@code --help} by hand, not picocli's standard one: {@code bench scale --help} and
     * {@code bench engine --help} show the options of scale and engine, which picocli, seeing
     * only {@code bench}, would answer with bench's own.
     */
    @picocli.CommandLine.Option(names = {"-h", "--help"}, description = "Show this help message and exit.")
    boolean help;

    @picocli.CommandLine.Option(names = {"-V", "--version"}, versionHelp = true,
            description = "Print version information and exit.")
    boolean version;

    /** Made by picocli, through the service loader's provider type. */
    public BenchCommand() {
    }

    @Override
    public Integer call() {
        PrintWriter commandOut = spec.commandLine().getOut();
        if (help) {
            String sub = args.isEmpty() ? "" : args.get(0);
            switch (sub) {
                case "scale" -> commandOut.print(ScaleBench.USAGE);
                case "engine" -> commandOut.print(EngineBench.USAGE);
                default -> spec.commandLine().usage(commandOut);
            }
            commandOut.flush();
            return 0;
        }
        try (PrintStream out = new PrintStream(new LineOut(commandOut), true, StandardCharsets.UTF_8)) {
            return BenchMain.run(args.toArray(String[]::new), out);
        }
    }

    /** Bytes to the command's writer, a line at a time (UTF-8 decoded whole). */
    private static final class LineOut extends OutputStream {
        private final PrintWriter out;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineOut(PrintWriter out) {
            this.out = out;
        }

        @Override
        public void write(int b) {
            line.write(b);
            if (b == '\n') {
                flush();
            }
        }

        @Override
        public void flush() {
            out.print(line.toString(StandardCharsets.UTF_8));
            out.flush();
            line.reset();
        }
    }
}
