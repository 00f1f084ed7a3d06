package org.mmemu.bench;

import java.io.PrintStream;
import java.util.Collection;
import java.util.concurrent.TimeUnit;
import org.mmemu.core.Machine;
import org.mmemu.core.MachineConfig;
import org.mmemu.core.emu.Cpu;
import org.mmemu.core.emu.StepGate;
import org.mmemu.core.page.Gfp;
import org.mmemu.core.page.Page;
import org.mmemu.lru.Lru;
import org.mmemu.lru.LruProtocol;
import org.mmemu.lru.protocol.ProtocolRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Benchmark 2 under JMH, one thread: the emulated release of a shared page (its count stays
 * above zero) under each protocol, with the machine's step gate open ({@link StepGate#FREE},
 * what the free engine's gate costs less its halt check), against an {@code AtomicInteger}
 * decrement and a decrement under a {@code ReentrantLock} ({@link PlainJmh}). JMH's forked JVM, warm-up and
 * blackholes make these the figures to quote for one thread; {@link Baselines} and
 * {@link ReleaseBench} give the two-thread figures, which need the free engine's own threads.
 *
 * <p>{@code mmemu bench --jmh [--seconds S] [--reps N]}: S seconds per iteration, N iterations
 * (and N/2+1 warm-up iterations), one fork.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ReleaseJmh {
    @Param({"mm1", "always-lock", "dec-and-lock", "unless-zero"})
    public String protocol;

    private LruProtocol lru;
    private Cpu cpu;
    private Page page;

    /** A one-CPU machine with one page on the LRU, its count far above zero. */
    @Setup
    public void boot() {
        LruProtocol p = ProtocolRegistry.onClassPath().byName(protocol);
        Machine m = new Machine(MachineConfig.of(1, 1024).withBiasedCount(p.biasedCount()), StepGate.FREE);
        Lru.install(m, p);
        lru = Lru.of(m).protocol();
        cpu = m.cpu(0);
        page = m.pageAlloc().allocPage(cpu, Gfp.GFP_KERNEL);
        Lru.of(m).zoneOf(page).addQuietly(page, false);
        page.setCountQuietly(1 << 30);
    }

    /** The emulated {@code page_cache_release()} of a shared page. */
    @Benchmark
    public int emulatedSharedRelease() {
        lru.pageCacheRelease(cpu, page);
        return page.count();
    }

    /** Runs the benchmarks above and prints JMH's table; returns the exit status. */
    static int run(double seconds, int reps, PrintStream out) {
        TimeValue each = TimeValue.milliseconds((long) (seconds * 1000));
        Options o = new OptionsBuilder().include("org\\.mmemu\\.tests\\.bench\\.(ReleaseJmh|PlainJmh)\\.").forks(1)
                .warmupIterations(reps / 2 + 1).warmupTime(each).measurementIterations(reps).measurementTime(each)
                .threads(1).shouldFailOnError(true).build();
        try {
            Collection<RunResult> rs = new Runner(o).run();
            out.println("# JMH, 1 thread, ops/us (higher is better)");
            for (RunResult r : rs) {
                out.printf(java.util.Locale.ROOT, "%-40s %-14s %10.2f ± %.2f%n", r.getParams().getBenchmark()
                        .replaceAll(".*\\.", ""), String.valueOf(r.getParams().getParam("protocol")).replace("null", "-"), r.getPrimaryResult().getScore(),
                        r.getPrimaryResult().getScoreError());
            }
            return 0;
        } catch (RunnerException e) {
            out.println("mmemu bench --jmh: " + e.getMessage());
            return 1;
        }
    }
}
