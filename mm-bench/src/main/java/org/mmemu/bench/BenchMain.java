package org.mmemu.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mmemu.report.html.HtmlReport;
import org.mmemu.report.html.ReportData;
import org.mmemu.report.html.ReportData.RateGrid;
import org.mmemu.report.html.ReportData.Table;

/**
 * {@code mmemu bench}: the five benchmarks of docs/BENCHMARKS.md, printed as Markdown tables
 * (and, with {@code --html FILE}, as the report page's figures). Every figure is a median over
 * {@code --reps} repetitions made in this one run, and ratios are between figures of this run:
 * the machines it runs on are small and shared, and only same-run ratios mean much there.
 *
 * <pre>
 * mmemu bench [SECTION...] [--reps N] [--seconds S] [--stress-seconds S] [--runs N]
 *             [--protocols a,b] [--cover-irq N] [--threads N] [--html FILE] [--jmh]
 * SECTION: release baseline explore stress timed (default: all five)
 * </pre>
 * {@code --jmh} runs the JMH microbenchmarks ({@link ReleaseJmh}) instead,
 * {@code mmemu bench scale [...]} the full-size figures of {@link ScaleBench}, and
 * {@code mmemu bench engine [...]} the controlled engine's throughput with the JIT amortised
 * ({@link EngineBench}).
 */
public final class BenchMain {
    private BenchMain() {
    }

    /** The command line's entry: runs what {@code args} ask, prints to {@code out}, returns the exit status. */
    public static int run(String[] args, PrintStream out) {
        if (args.length > 0 && args[0].equals("scale")) {
            return ScaleBench.run(java.util.Arrays.copyOfRange(args, 1, args.length), out);
        }
        if (args.length > 0 && args[0].equals("engine")) {
            return EngineBench.run(java.util.Arrays.copyOfRange(args, 1, args.length), out);
        }
        Config c;
        try {
            c = Config.parse(args);
        } catch (IllegalArgumentException e) {
            out.println("mmemu bench: " + e.getMessage());
            return 2;
        }
        if (c.jmh) {
            return ReleaseJmh.run(c.seconds, c.reps, out);
        }
        out.printf(Locale.ROOT, "# mmemu bench: java %s, %d processors, max heap %d MiB, %s %s%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20, System.getProperty("os.name"), System.getProperty("os.arch"));
        out.printf(Locale.ROOT, "# command: mmemu bench %s%n%n", String.join(" ", args));
        Report report = new Report(out);
        for (String s : c.sections) {
            switch (s) {
                case "release" -> Sections.release(c, report);
                case "baseline" -> Sections.baseline(c, report);
                case "explore" -> Sections.explore(c, report);
                case "stress" -> Sections.stress(c, report);
                case "timed" -> Sections.timed(c, report);
                default -> throw new IllegalStateException(s);
            }
        }
        if (c.html != null) {
            ReportData d = ReportData.of("mmemu bench", "seed race and release paths");
            for (Table t : report.tables) {
                d = d.with(t);
            }
            if (report.rates != null) {
                d = d.withRates(report.rates);
            }
            HtmlReport.write(c.html, d);
            out.println("HTML report: " + c.html);
        }
        return 0;
    }

    /** For {@code java -cp ... org.mmemu.bench.BenchMain}. */
    public static void main(String[] args) {
        System.exit(run(args, System.out));
    }

    /** The tables made so far; each is printed as it is made. */
    static final class Report {
        final PrintStream out;
        final List<Table> tables = new ArrayList<>();
        RateGrid rates;

        Report(PrintStream out) {
            this.out = out;
        }

        void add(Table t) {
            tables.add(t);
            out.println(markdown(t));
            out.flush();
        }
    }

    /** {@code t} as a Markdown table with its title above and its note below. */
    static String markdown(Table t) {
        StringBuilder b = new StringBuilder("### ").append(t.title()).append("\n\n| ");
        b.append(String.join(" | ", t.header())).append(" |\n|");
        t.header().forEach(h -> b.append("---|"));
        b.append('\n');
        for (List<String> row : t.rows()) {
            b.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        if (!t.note().isEmpty()) {
            b.append('\n').append(t.note()).append('\n');
        }
        return b.toString();
    }

    /** The parsed command line. */
    static final class Config {
        static final List<String> ALL = List.of("release", "baseline", "explore", "stress", "timed");
        List<String> sections = ALL;
        int reps = 3;
        double seconds = 0.3;
        double stressSeconds = 3;
        int runs = 300;
        int coverIrq = 400;
        int threads = 2;
        List<String> protocols = org.mmemu.lru.protocol.ProtocolRegistry.onClassPath().names();
        Path html;
        boolean jmh;

        static Config parse(String[] args) {
            Config c = new Config();
            List<String> sections = new ArrayList<>();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (!a.startsWith("--")) {
                    if (!ALL.contains(a)) {
                        throw new IllegalArgumentException("no section '" + a + "'; sections: " + String.join(" ", ALL));
                    }
                    sections.add(a);
                    continue;
                }
                if (a.equals("--jmh")) {
                    c.jmh = true;
                    continue;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                String v = args[++i];
                try {
                    switch (a) {
                        case "--reps" -> c.reps = positive(a, Integer.parseInt(v));
                        case "--seconds" -> c.seconds = positive(a, Double.parseDouble(v));
                        case "--stress-seconds" -> c.stressSeconds = positive(a, Double.parseDouble(v));
                        case "--runs" -> c.runs = positive(a, Integer.parseInt(v));
                        case "--cover-irq" -> c.coverIrq = positive(a, Integer.parseInt(v));
                        case "--threads" -> c.threads = positive(a, Integer.parseInt(v));
                        case "--protocols" -> c.protocols = BenchArgs.protocols(v);
                        case "--html" -> c.html = Path.of(v);
                        default -> throw new IllegalArgumentException("unknown option " + a);
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(a + ": not a number: " + v);
                }
            }
            BenchArgs.output(c.html, "--html");
            if (!sections.isEmpty()) {
                c.sections = List.copyOf(new java.util.LinkedHashSet<>(sections));
            }
            return c;
        }

        private static <T extends Number> T positive(String name, T v) {
            if (v.doubleValue() <= 0) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return v;
        }

        Duration each() {
            return Duration.ofNanos((long) (seconds * 1e9));
        }
    }

    /** Keeps insertion order; for per-key medians. */
    static <K> Map<K, List<Double>> bucket() {
        return new LinkedHashMap<>();
    }
}
