package org.mmemu.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mmemu.bench.BenchMain.Config;
import org.mmemu.bench.BenchMain.Report;
import org.mmemu.bench.ReleaseBench.Mode;
import org.mmemu.bench.ReleaseBench.Path;
import org.mmemu.bench.ReleaseBench.Result;
import org.mmemu.report.html.ReportData.Table;

/** The five sections of {@link BenchMain}, each making its tables from one run. */
final class Sections {
    /** Pages per CPU per round of the release benchmark. */
    static final int BATCH = 256;

    private Sections() {
    }

    /** Benchmark 1: releases/s, lock acquisitions per release, per protocol, 1 and 2 CPUs, two page mixes. */
    static void release(Config c, Report report) {
        ReleaseBench bench = new ReleaseBench(BATCH);
        for (Path path : Path.values()) {
            // Configurations in a fixed order; one warm-up pass over all of them, then the
            // repetitions interleaved, so that JIT warm-up and drifts in the host's speed fall
            // on every configuration alike instead of on the first ones.
            List<String[]> configs = new ArrayList<>();
            for (String p : c.protocols) {
                for (int threads : new int[] {1, 2}) {
                    for (Mode mode : Mode.values()) {
                        configs.add(new String[] {p, String.valueOf(threads), mode.name()});
                    }
                }
            }
            Map<Integer, List<Result>> results = new java.util.HashMap<>();
            for (String[] k : configs) {
                bench.run(k[0], Integer.parseInt(k[1]), Mode.valueOf(k[2]), path, c.each().dividedBy(3));
            }
            for (int rep = 0; rep < c.reps; rep++) {
                for (int i = 0; i < configs.size(); i++) {
                    String[] k = configs.get(i);
                    results.computeIfAbsent(i, x -> new ArrayList<>())
                            .add(bench.run(k[0], Integer.parseInt(k[1]), Mode.valueOf(k[2]), path, c.each()));
                }
            }
            Map<String, Double> rate = new java.util.HashMap<>();
            List<List<String>> rows = new ArrayList<>();
            for (int i = 0; i < configs.size(); i++) {
                String[] k = configs.get(i);
                List<Result> rs = results.get(i);
                double median = Stats.median(rs.stream().map(Result::releasesPerSecond).toList());
                double locks = Stats.median(rs.stream().map(Result::locksPerRelease).toList());
                long findings = rs.stream().mapToLong(r -> r.findings().size()).sum();
                rate.put(k[0] + k[1] + k[2], median);
                rows.add(new ArrayList<>(List.of(k[0], k[1], k[2].toLowerCase(), Stats.count(median),
                        Stats.fixed(locks, 3), Stats.fixed(rs.get(0).lastRefShare(), 2), String.valueOf(findings))));
            }
            for (List<String> row : rows) {
                double mm1 = rate.getOrDefault("mm1" + row.get(1) + row.get(2).toUpperCase(), Double.NaN);
                double own = rate.get(row.get(0) + row.get(1) + row.get(2).toUpperCase());
                row.add(Stats.fixed(mm1 / own, 2));
            }
            report.add(new Table("1. release path " + path.name().toLowerCase() + ", free engine",
                    List.of("protocol", "CPUs", "pages", "releases/s (median)", "lru_lock acquisitions per release",
                            "last-ref share", "findings", "time vs mm1 (x)"),
                    rows, "median of " + c.reps + " interleaved runs of " + c.seconds + " s each (after a warm-up pass), " + BATCH
                    + " pages per CPU per round; 'time vs mm1' = mm1's releases/s / this row's (>1: slower than mm1)"));
        }
    }

    /** Benchmark 2: the emulated release against plain Java, as the emulator's overhead. */
    static void baseline(Config c, Report report) {
        ReleaseBench bench = new ReleaseBench(BATCH);
        int ops = 2_000_000;
        Baselines.opsPerSecond(Baselines.Op.ATOMIC_DECREMENT, 1, ops); // warm-up
        List<List<String>> rows = new ArrayList<>();
        for (int threads : new int[] {1, 2}) {
            List<Double> mm1s = new ArrayList<>();
            List<Double> alwayss = new ArrayList<>();
            for (int rep = -1; rep < c.reps; rep++) {
                // rep -1 is the warm-up; the two protocols alternate so that drift falls on both
                double a = bench.run("mm1", threads, Mode.SHARED, Path.PAGE_CACHE_RELEASE, c.each()).releasesPerSecond();
                double b = bench.run("always-lock", threads, Mode.SHARED, Path.PAGE_CACHE_RELEASE, c.each())
                        .releasesPerSecond();
                if (rep >= 0) {
                    mm1s.add(a);
                    alwayss.add(b);
                }
            }
            double mm1 = Stats.median(mm1s);
            double always = Stats.median(alwayss);
            for (Baselines.Op op : Baselines.Op.values()) {
                List<Double> xs = new ArrayList<>();
                for (int i = 0; i < c.reps; i++) {
                    xs.add(Baselines.opsPerSecond(op, threads, ops));
                }
                double plain = Stats.median(xs);
                boolean locked = op != Baselines.Op.ATOMIC_DECREMENT;
                double emulated = locked ? always : mm1;
                rows.add(List.of(String.valueOf(threads), op.name().toLowerCase(), Stats.count(plain),
                        (locked ? "always-lock" : "mm1") + " shared release", Stats.count(emulated),
                        Stats.fixed(plain / emulated, 1)));
            }
        }
        report.add(new Table("2. emulator overhead: plain Java vs the emulated release (shared pages)",
                List.of("threads", "plain Java op", "ops/s (median)", "emulated op", "releases/s (median)",
                        "overhead (x)"),
                rows, "plain: " + ops + " ops per thread on one shared counter; emulated: page_cache_release of a"
                + " page whose count stays above zero (mm1: put_page_testzero only; always-lock: under lru_lock);"
                + " median of " + c.reps));
    }

    /** Benchmark 3: time and schedules to the first double free, per policy; time to cover the clean protocols. */
    static void explore(Config c, Report report) {
        SeedRace race = SeedRace.of("mm1", 400);
        Duration limit = Duration.ofSeconds(20);
        List<List<String>> rows = new ArrayList<>();
        for (String policy : List.of("exhaustive", "pct", "random")) {
            List<Double> ms = new ArrayList<>();
            List<Double> sch = new ArrayList<>();
            int found = 0;
            StringBuilder seeds = new StringBuilder();
            for (int i = 0; i < c.reps; i++) {
                long seed = i + 1;
                ExploreBench.First f = ExploreBench.firstDoubleFree(race, policy, seed, c.threads, limit);
                ms.add((double) f.millis());
                sch.add((double) f.schedules());
                found += f.found() ? 1 : 0;
                seeds.append(seeds.length() > 0 ? "," : "").append(seed);
            }
            rows.add(List.of(policy, found + "/" + c.reps, Stats.count(Stats.median(sch)), Stats.count(Stats.median(ms)),
                    policy.equals("exhaustive") ? "-" : seeds.toString()));
        }
        report.add(new Table("3a. exploration: first double free of the seed race (mm1, 400-step interrupt)",
                List.of("policy", "found", "schedules to first (median)", "ms to first (median)", "seeds"),
                rows, "irq delay model, no slips, " + c.threads + " explorer threads, limit 20 s, stop at first; median of "
                + c.reps + " (exhaustive: same search each time)"));

        List<List<String>> cover = new ArrayList<>();
        for (String p : c.protocols) {
            if (org.mmemu.lru.protocol.ProtocolRegistry.onClassPath().byName(p).expectedOnSeedRace().doubleFree()) {
                continue; // not a clean protocol: its double free is what 3a and 4 measure
            }
            ExploreBench.Cover r = ExploreBench.cover(SeedRace.of(p, c.coverIrq), c.threads, Duration.ofSeconds(120));
            cover.add(List.of(p, r.verdict(), r.complete() ? "yes" : "no", Stats.count(r.schedules()),
                    Stats.count(r.millis()), r.kinds()));
        }
        report.add(new Table("3b. exploration: covering the bounded space of the clean protocols (" + c.coverIrq
                        + "-step interrupt)",
                List.of("protocol", "verdict", "complete", "schedules", "ms", "finding kinds"), cover,
                "exhaustive, irq delay model, no slips, " + c.threads + " explorer threads, one run each"));
    }

    /** Benchmark 4: free-engine stress for a fixed time against exploration, on the same program. */
    static void stress(Config c, Report report) {
        Duration budget = Duration.ofNanos((long) (c.stressSeconds * 1e9));
        List<List<String>> rows = new ArrayList<>();
        for (String p : List.of("mm1", "pre-fix")) {
            ExploreBench.Stress s = ExploreBench.stress(SeedRace.of(p, 400), budget);
            rows.add(List.of(p, "free engine stress", Stats.count(s.runs()) + " runs", Stats.count(s.millis()),
                    s.doubleFrees() + " double frees (" + s.withFindings() + " runs with findings)"));
            ExploreBench.First f = ExploreBench.firstDoubleFree(SeedRace.of(p, 400), "exhaustive", 1, c.threads,
                    Duration.ofSeconds(60));
            rows.add(List.of(p, "explore (exhaustive)", Stats.count(f.schedules()) + " schedules", Stats.count(f.millis()),
                    f.found() ? "double free" : "no double free; kinds found: " + f.kinds()));
        }
        report.add(new Table("4. stress vs exploration on the seed race",
                List.of("protocol", "engine", "executions", "ms", "found"), rows,
                "stress: " + c.stressSeconds + " s of free-engine runs (real threads; the free engine delivers no"
                + " interrupts, so mm1's window needs a host-level stall); explore: irq model, stop at first"));
    }

    /** Benchmark 5: the timed engine's double-free rate per release for mm1. */
    static void timed(Config c, Report report) {
        long[] intervals = {100, 300, 1_000, 3_000};
        int[] durations = {300, 1_000, 3_000, 10_000};
        var grid = TimedRates.measure("mm1", intervals, durations, c.runs, 42);
        report.rates = grid;
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < durations.length; i++) {
            List<String> row = new ArrayList<>(List.of(durations[i] + " steps"));
            for (var cell : grid.cells()[i]) {
                row.add(String.format(java.util.Locale.ROOT, "%s [%s, %s] (%d/%d)", org.mmemu.report.html.Html.num(cell.perOp()),
                        org.mmemu.report.html.Html.num(cell.low()), org.mmemu.report.html.Html.num(cell.high()),
                        cell.hits(), cell.runs()));
            }
            rows.add(row);
        }
        List<String> header = new ArrayList<>(List.of("mean irq duration \\ mean interval"));
        for (long m : intervals) {
            header.add("1 irq / " + m + " cycles");
        }
        report.add(new Table("5. timed engine: double frees per release, mm1", header, rows,
                "default cost table; " + c.runs + " seeded runs per cell (seed 42 + 1000 row + column), one release per"
                + " run, its start spread evenly over 0..380 CPU-local steps after reclaim starts; rate [95% Wilson"
                + " interval] (hits/runs)"));
    }
}
