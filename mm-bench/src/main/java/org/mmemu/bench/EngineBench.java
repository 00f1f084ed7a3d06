package org.mmemu.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.mmemu.engine.DelayModel;
import org.mmemu.engine.ExploreOptions;
import org.mmemu.engine.ExploreResult;
import org.mmemu.engine.control.Explorer;
import org.mmemu.scenario.Scenario;
import org.mmemu.scenario.run.KernelWiring;
import org.mmemu.scenario.run.ScenarioProgram;
import org.mmemu.scenario.run.Scenarios;

/**
 * {@code mmemu bench engine [--scenario NAME] [--bound N] [--warmup N] [--rounds N] [--threads N]
 * [--protocols a,b]}: the controlled engine's throughput with the JIT amortised. The same complete
 * {@code exhaustive} search ({@code anywhere} delays, preemption bound 3 on
 * {@code seed-race-three-cpus} by default) of each protocol runs {@code --warmup} times unmeasured,
 * then {@code --rounds} times measured, the protocols taking turns, in this one JVM; a row gives the search's schedules and steps
 * (the same every round: the search is deterministic) and the median, best and worst of the
 * measured rounds in milliseconds and in steps per second of the search's own elapsed time.
 *
 * <p>Why a bench of its own: since the footprint fix the search of issue 11's figure ends in
 * about two seconds from a cold JVM, most of it spent interpreting and compiling; a command run
 * measures the JIT, this measures the engine.
 */
public final class EngineBench {
    private EngineBench() {
    }

    /** {@code bench engine --help}. */
    static final String USAGE = """
            Usage: mmemu bench engine [--scenario NAME] [--bound N] [--warmup N] [--rounds N] [--threads N]
                                      [--protocols a,b]
            The controlled engine's steps per second with the JIT amortised: one complete exhaustive
            search per protocol, warmed up, then measured in turns (docs/BENCHMARKS.md).
                  --scenario NAME  a shipped scenario (default seed-race-three-cpus)
                  --bound N        the preemption bound (default 3)
                  --warmup N       unmeasured rounds (default 10)
                  --rounds N       measured rounds (default 15)
                  --threads N      explorer threads (default: every available processor)
                  --protocols a,b  the protocols (default always-lock,dec-and-lock,testone,unless-zero)
              -h, --help           Show this help message and exit.
            Exit status: 0 the figures were made, 2 bad input.
            """;

    /** The parsed command line. */
    record Config(String scenario, int bound, int warmup, int rounds, int threads, List<String> protocols) {
        static Config parse(String[] args) {
            String scenario = "seed-race-three-cpus";
            int bound = 3;
            int warmup = 10;
            int rounds = 15;
            int threads = org.mmemu.scenario.run.Engines.defaultThreads();
            List<String> protocols = List.of("always-lock", "dec-and-lock", "testone", "unless-zero");
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--scenario" -> scenario = BenchArgs.value(args, ++i, a);
                    case "--bound" -> bound = BenchArgs.atLeast(BenchArgs.value(args, ++i, a), a, 0);
                    case "--warmup" -> warmup = BenchArgs.atLeast(BenchArgs.value(args, ++i, a), a, 0);
                    case "--rounds" -> rounds = BenchArgs.atLeast(BenchArgs.value(args, ++i, a), a, 1);
                    case "--threads" -> threads = BenchArgs.atLeast(BenchArgs.value(args, ++i, a), a, 1);
                    case "--protocols" -> protocols = BenchArgs.protocols(BenchArgs.value(args, ++i, a));
                    default -> throw new IllegalArgumentException("unknown argument '" + a + "' (engine takes"
                            + " --scenario NAME, --bound N, --warmup N, --rounds N, --threads N, --protocols a,b)");
                }
            }
            return new Config(scenario, bound, warmup, rounds, threads, protocols);
        }
    }

    /** One protocol's measured rounds. */
    record Row(String protocol, long schedules, long steps, boolean complete, long[] millis) {
        long median() {
            long[] m = millis.clone();
            Arrays.sort(m);
            return m[m.length / 2];
        }

        static double rate(long steps, long ms) {
            return steps / 1000.0 / Math.max(1, ms);
        }
    }

    /** The command line's entry: runs the bench, prints a Markdown table to {@code out}, returns the exit status. */
    public static int run(String[] args, PrintStream out) {
        Config c;
        Scenario s;
        try {
            c = Config.parse(args);
            s = Scenarios.standard().resolve(c.scenario());
        } catch (IllegalArgumentException | org.mmemu.scenario.yaml.ScenarioException e) {
            out.println("mmemu bench engine: " + e.getMessage());
            return 2;
        }
        out.printf(Locale.ROOT, "# mmemu bench engine: java %s, %d processors; %s, exhaustive, anywhere, bound %d,"
                        + " %d threads, %d warm-up and %d measured rounds%n%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), c.scenario(), c.bound(), c.threads(), c.warmup(), c.rounds());
        out.println("| protocol | complete | schedules | steps | median ms | best ms | worst ms | median M steps/s |"
                + " best M steps/s |");
        out.println("|---|---|---|---|---|---|---|---|---|");
        for (Row r : measure(s, c)) {
            long[] m = r.millis().clone();
            Arrays.sort(m);
            out.printf(Locale.ROOT, "| %s | %s | %,d | %,d | %d | %d | %d | %.2f | %.2f |%n", r.protocol(),
                    r.complete() ? "yes" : "NO", r.schedules(), r.steps(), r.median(), m[0], m[m.length - 1],
                    Row.rate(r.steps(), r.median()), Row.rate(r.steps(), m[0]));
        }
        return 0;
    }

    /**
     * Every protocol's search, warmed up (each {@code warmup} times, so that the JIT has seen all
     * of them before any is measured) and then measured in turns, one round of each protocol
     * after the other, so that a noisy stretch of the host falls on all of them alike.
     */
    static List<Row> measure(Scenario s, Config c) {
        ExploreOptions o = ExploreOptions.defaults().withPolicy("exhaustive").withDelays(DelayModel.ANYWHERE)
                .withPreemptionBound(c.bound()).withThreads(c.threads()).withShrink(false).withStopAtFirst(false)
                .withMaxSchedules(10_000_000).withTimeLimit(Duration.ofMinutes(10));
        for (int i = 0; i < c.warmup(); i++) {
            for (String protocol : c.protocols()) {
                Explorer.explore(new ScenarioProgram(s, protocol, KernelWiring.standard()), o);
            }
        }
        List<List<ExploreResult>> runs = new ArrayList<>();
        c.protocols().forEach(p -> runs.add(new ArrayList<>()));
        for (int i = 0; i < c.rounds(); i++) {
            for (int k = 0; k < c.protocols().size(); k++) {
                runs.get(k).add(Explorer.explore(new ScenarioProgram(s, c.protocols().get(k), KernelWiring.standard()), o));
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int k = 0; k < c.protocols().size(); k++) {
            List<ExploreResult> r = runs.get(k);
            rows.add(new Row(c.protocols().get(k), r.get(0).schedules(), r.get(0).steps(),
                    r.stream().allMatch(ExploreResult::complete), r.stream().mapToLong(ExploreResult::elapsedMillis).toArray()));
        }
        return rows;
    }
}
